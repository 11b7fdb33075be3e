import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { DojoUnavailable } from '../../src/core/ports.js';
import { classify, DojoBug, runUnit } from '../../src/core/unit-of-work.js';

const log = pino({ level: 'silent' });
const pgError = (code: string, message = 'pg error') => Object.assign(new Error(message), { code });

describe('the unit of work tells conflicts, outages and bugs apart', () => {
  it('classifies what node-postgres, PGlite and the network throw', () => {
    expect(classify(pgError('23505', 'duplicate key value violates unique constraint "answer_round_id_member_id_key"'))).toBe('conflict');
    expect(classify(pgError('40001'))).toBe('conflict');
    expect(classify(pgError('40P01'))).toBe('conflict');
    expect(classify(pgError('57P01', 'terminating connection due to administrator command'))).toBe('unavailable');
    expect(classify(pgError('08006'))).toBe('unavailable');
    expect(classify(pgError('53300', 'too many clients'))).toBe('unavailable');
    expect(classify(pgError('55P03', 'canceling statement due to lock timeout'))).toBe('unavailable');
    expect(classify(pgError('57014', 'canceling statement due to statement timeout'))).toBe('unavailable');
    expect(classify(pgError('55006', 'object is in use'))).toBe('bug');
    expect(classify(pgError('ECONNREFUSED'))).toBe('unavailable');
    expect(classify(new Error('Connection terminated unexpectedly'))).toBe('unavailable');
    expect(classify(new AggregateError([pgError('ECONNREFUSED')], ''))).toBe('unavailable');
    expect(classify(new Error('outer', { cause: pgError('23505') }))).toBe('conflict');
    expect(classify(pgError('23502', 'null value in column "body" violates not-null constraint'))).toBe('bug');
    expect(classify(new TypeError("Cannot read properties of undefined (reading 'id')"))).toBe('bug');
  });

  it('runs a conflict once more, then gives up as a bug', async () => {
    let runs = 0;
    expect(await runUnit(log, async () => (++runs === 1 ? Promise.reject(pgError('23505')) : 'done'))).toBe('done');
    expect(runs).toBe(2);
    runs = 0;
    await expect(runUnit(log, async () => Promise.reject(pgError('40001', `attempt ${++runs}`)))).rejects.toBeInstanceOf(DojoBug);
    expect(runs).toBe(2);
  });

  it('turns an outage into DojoUnavailable and a bug into a reference for the person', async () => {
    await expect(runUnit(log, () => Promise.reject(pgError('57P01')))).rejects.toBeInstanceOf(DojoUnavailable);
    const bug = await runUnit(log, () => Promise.reject(new TypeError('x is undefined'))).catch((e: unknown) => e);
    expect(bug).toBeInstanceOf(DojoBug);
    expect((bug as DojoBug).userMessage).toMatch(/^Something went wrong on my side \(ref [0-9A-F]{6}\)\./);
    expect((bug as DojoBug).userMessage).not.toMatch(/database/);
  });
});
