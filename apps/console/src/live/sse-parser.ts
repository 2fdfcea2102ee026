/** One message of a text/event-stream, as the HTML standard defines its fields. */
export interface SseMessage {
  /** `event:`; "message" when the message names none. */
  event: string;
  data: string;
  /** The stream's last event id when the message was dispatched (it carries over from earlier messages). */
  id?: string;
}

/**
 * An incremental parser of text/event-stream (https://html.spec.whatwg.org/multipage/server-sent-events.html):
 * fed chunks as they arrive, split anywhere, it answers the messages they complete. As in EventSource, an
 * `id:` counts at the end of its block even when the block has no data (a server may send `id:` alone, or
 * with a `: ping` comment, to move the resume position), and `retry:` counts at once.
 */
export class SseParser {
  /** What `Last-Event-ID` should say on a reconnection. */
  lastEventId: string | undefined;
  /** The reconnection delay the server asked for, in milliseconds. */
  retry: number | undefined;
  private buffer = '';
  private event = '';
  private data: string[] = [];
  private idBuffer: string | undefined;
  private sawCr = false;

  push(chunk: string): SseMessage[] {
    const out: SseMessage[] = [];
    let text = chunk;
    // A CRLF split between two chunks: the LF belongs to the line the CR ended.
    if (this.sawCr && text.startsWith('\n')) text = text.slice(1);
    this.sawCr = false;
    this.buffer += text;
    let start = 0;
    for (let i = 0; i < this.buffer.length; i++) {
      const c = this.buffer[i];
      if (c !== '\n' && c !== '\r') continue;
      this.line(this.buffer.slice(start, i), out);
      if (c === '\r') {
        if (i + 1 === this.buffer.length) this.sawCr = true;
        else if (this.buffer[i + 1] === '\n') i++;
      }
      start = i + 1;
    }
    this.buffer = this.buffer.slice(start);
    return out;
  }

  private line(line: string, out: SseMessage[]): void {
    if (line === '') return this.dispatch(out);
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'event':
        this.event = value;
        break;
      case 'data':
        this.data.push(value);
        break;
      case 'id':
        if (!value.includes('\0')) this.idBuffer = value;
        break;
      case 'retry':
        if (/^\d+$/.test(value)) this.retry = Number(value);
        break;
    }
  }

  private dispatch(out: SseMessage[]): void {
    this.lastEventId = this.idBuffer;
    // A block with an event name but no data still counts here: `event: reset` needs no payload.
    if (this.data.length > 0 || this.event !== '') {
      out.push({ event: this.event || 'message', data: this.data.join('\n'), ...(this.lastEventId !== undefined ? { id: this.lastEventId } : {}) });
    }
    this.event = '';
    this.data = [];
  }
}
