import { QueryFailedError } from 'typeorm';
import { classifyFailure, EarlyEventError, isInfrastructureError, PermanentEventError } from './bus-errors';

function pgError(code: string, message = 'pg error'): Error {
  return Object.assign(new Error(message), { code });
}

describe('classifyFailure', () => {
  it.each([
    ['connection refused', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
    ['connection reset', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })],
    ['admin shutdown (57P01)', pgError('57P01', 'terminating connection due to administrator command')],
    ['cannot connect now (57P03)', pgError('57P03', 'the database system is starting up')],
    ['too many connections (53300)', pgError('53300')],
    ['connection failure (08006)', pgError('08006')],
    ['pool timeout', new Error('timeout exceeded when trying to connect')],
    ['connection terminated', new Error('Connection terminated unexpectedly')],
    ['wrapped by TypeORM', new QueryFailedError('SELECT 1', [], pgError('57P01'))],
    ['in a cause chain', new Error('handler gave up', { cause: pgError('08001') })],
    ['in an AggregateError', new AggregateError([Object.assign(new Error('x'), { code: 'ECONNREFUSED' })], 'connect failed')],
  ])('%s: the database is unreachable', (_what, e) => {
    expect(classifyFailure(e)).toBe('unreachable');
    expect(isInfrastructureError(e)).toBe(true);
  });

  it.each([
    ['serialization failure', pgError('40001')],
    ['deadlock', pgError('40P01')],
    ['lock not available', pgError('55P03')],
  ])('%s: transient', (_what, e) => {
    expect(classifyFailure(e)).toBe('transient');
  });

  it.each([
    ['a unique violation', pgError('23505')],
    ['a NUL in text', pgError('22021', 'invalid byte sequence for encoding "UTF8": 0x00')],
    ['a handler bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['an early event', new EarlyEventError('no clock yet')],
    ['a permanent error', new PermanentEventError('never')],
    ['not an error', 'boom'],
    ['nothing', undefined],
  ])('%s: the event’s or the handler’s, counted', (_what, e) => {
    expect(classifyFailure(e)).toBeUndefined();
  });
});
