/** Where the router keeps the authenticated caller's context on a request (for the request log line). */
export const REQUEST_CONTEXT = 'cnContext';
