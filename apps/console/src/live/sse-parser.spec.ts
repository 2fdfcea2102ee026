import { describe, expect, it } from '@jest/globals';
import { SseParser } from './sse-parser';

describe('SseParser', () => {
  it('reads event, data, id and retry, and skips comments such as the heartbeat', () => {
    const parser = new SseParser();
    const out = parser.push(': ping\n\nretry: 2000\nid: 42\nevent: event\ndata: {"topic":"event","id":"e1"}\n\n');
    expect(out).toEqual([{ event: 'event', data: '{"topic":"event","id":"e1"}', id: '42' }]);
    expect(parser.retry).toBe(2000);
  });

  it('moves the last event id on a block without data, as a stream’s opening position and its pings do', () => {
    const parser = new SseParser();
    expect(parser.push('retry: 2000\nid: 10\n\n: ping\nid: 12\n\n')).toEqual([]);
    expect(parser.lastEventId).toBe('12');
    expect(parser.retry).toBe(2000);
  });

  it('completes messages split anywhere across chunks, CRLF included', () => {
    const parser = new SseParser();
    const text = 'event: job\r\ndata: {"a":1}\r\nid: 7\r\n\r\nevent: reset\r\ndata: {}\r\n\r\n';
    const out = [];
    for (const ch of text) out.push(...parser.push(ch));
    expect(out).toEqual([
      { event: 'job', data: '{"a":1}', id: '7' },
      { event: 'reset', data: '{}', id: '7' },
    ]);
  });

  it('joins multi-line data and defaults the event to "message"', () => {
    expect(new SseParser().push('data: one\ndata:two\n\n')).toEqual([{ event: 'message', data: 'one\ntwo' }]);
  });

  it('keeps an unfinished message for the next chunk', () => {
    const parser = new SseParser();
    expect(parser.push('event: ticket\ndata: {"id":"t"}\n')).toEqual([]);
    expect(parser.push('\n')).toEqual([{ event: 'ticket', data: '{"id":"t"}' }]);
  });
});
