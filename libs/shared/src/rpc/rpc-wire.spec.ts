import { decodeRpcReply, decodeRpcRequest, encodeNoHandler, encodeRpcAnswer, encodeRpcRequest } from './rpc-wire';
import { RpcRequest } from './rpc-request';

const data: RpcRequest = { ctx: { tenantId: 't', actor: { type: 'system', id: 'a', name: 'System' }, roles: [], correlationId: 'c' }, body: { x: 1 } };

describe('the RPC wire format', () => {
  it('carries a request and its answer both ways', () => {
    expect(decodeRpcRequest(encodeRpcRequest('events.ping', data, 'id-1'))).toEqual({ pattern: 'events.ping', data, id: 'id-1' });
    expect(decodeRpcReply(encodeRpcAnswer('id-1', { ok: true, data: { x: 1 } }))).toEqual({ kind: 'answer', response: { ok: true, data: { x: 1 } } });
  });

  it('reads a request for a pattern nobody handles as a transport error naming it', () => {
    expect(decodeRpcReply(encodeNoHandler('id-1', 'events.nobody'))).toEqual({ kind: 'transport-error', error: 'no handler for the pattern events.nobody' });
  });

  it('ignores the trailing packet a Nest RMQ server sends after its answer', () => {
    expect(decodeRpcReply(Buffer.from(JSON.stringify({ id: 'id-1', isDisposed: true })))).toEqual({ kind: 'none' });
  });

  it('reads an unparseable reply as a transport error, and what is not a request as nothing', () => {
    expect(decodeRpcReply(Buffer.from('{'))).toEqual({ kind: 'transport-error', error: 'unparseable reply' });
    expect(decodeRpcRequest(Buffer.from('{'))).toBeUndefined();
    expect(decodeRpcRequest(Buffer.from('null'))).toBeUndefined();
    expect(decodeRpcRequest(Buffer.from('{"data":{}}'))).toBeUndefined();
  });
});
