/**
 * `AMQP_URL` names one broker or, comma-separated, the nodes of a RabbitMQ cluster
 * (`amqp://u:p@node-a:5672,amqp://u:p@node-b:5672`). Every connection (the event connection, the RPC server,
 * the gateway's) gets the whole list: amqp-connection-manager and Nest's RMQ transport connect to the first
 * that answers and move on to the next when a node is lost. A comma inside a password is written `%2C`.
 */
export function amqpUrls(value: string): string[] {
  return value
    .split(',')
    .map((url) => url.trim())
    .filter((url) => url.length > 0);
}

/** The same list starting at the `offset`-th node, so replicas spread their connections over the cluster. */
export function rotatedAmqpUrls(value: string, offset: number): string[] {
  const urls = amqpUrls(value);
  if (urls.length === 0) return urls;
  const start = ((offset % urls.length) + urls.length) % urls.length;
  return [...urls.slice(start), ...urls.slice(0, start)];
}

/** One URL or a comma-separated list of them, each amqp:// or amqps://. */
export const AMQP_URL_LIST = /^\s*amqps?:\/\/[^,\s]+(\s*,\s*amqps?:\/\/[^,\s]+)*\s*$/;
