import { describe, expect, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import * as Contract from '#shared/contract/event-feed';
import type { CaseEvent, EventPage } from '#shared/use-cases/event-feed';

describe('the event feed schemas', () => {
  it('describe what the use case returns, field for field', () => {
    expectTypeOf<keyof z.output<typeof Contract.CaseEvent>>().toEqualTypeOf<keyof CaseEvent>();
    expectTypeOf<keyof z.output<typeof Contract.EventPage>>().toEqualTypeOf<keyof EventPage>();
  });

  it('take after, since and limit, with the contract default and maximum page size', () => {
    expect(Contract.ListEventsQuery.parse({})).toEqual({ limit: 50 });
    expect(Contract.ListEventsQuery.safeParse({ limit: '501' }).success).toBe(false);
    expect(Contract.ListEventsQuery.safeParse({ cursor: 'x' }).success).toBe(false);
    expect(Contract.ListEventsQuery.safeParse({ since: '2026-01-12T22:41:00+08:00', after: 'abc', limit: '5' }).data)
      .toEqual({ since: '2026-01-12T22:41:00+08:00', after: 'abc', limit: 5 });
  });
});
