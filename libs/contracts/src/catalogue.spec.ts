import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { EVENT_CATALOGUE, parseSubject, subjectFor, versionOf } from './catalogue';

describe('event catalogue', () => {
  it('names every type domain.event.vN and its version matches', () => {
    for (const type of Object.keys(EVENT_CATALOGUE) as (keyof typeof EVENT_CATALOGUE)[]) {
      expect(type).toMatch(/^[a-z]+\.[a-z-]+\.v\d+$/);
      expect(versionOf(type)).toBe(Number(type.split('.v')[1]));
    }
  });

  it('puts the district second in the subject and parses it back', () => {
    const s = subjectFor('hotline', '630104', 'ticket.accepted.v1');
    expect(s).toBe('hotline.630104.ticket.accepted.v1');
    expect(parseSubject(s)).toEqual({ prefix: 'hotline', district: '630104', type: 'ticket.accepted.v1' });
  });

  it.each(Object.entries(EVENT_CATALOGUE))('%s rejects an empty payload (every required field is validated)', (_type, cls) => {
    const errors = validateSync(plainToInstance(cls as new () => object, {}), { forbidUnknownValues: true });
    expect(errors.length).toBeGreaterThan(0);
  });

  it('requires the nested location of an accepted order', () => {
    const errors = validateSync(plainToInstance(EVENT_CATALOGUE['ticket.accepted.v1'], { orderNo: '20261122-000001' }));
    expect(errors.map((e) => e.property)).toContain('location');
  });
});
