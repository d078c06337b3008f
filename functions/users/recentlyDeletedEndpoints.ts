import type * as z from 'zod';
import type { Session } from '../../shared/domain/records';
import { endpoint, type Endpoints } from '../../shared/http/httpHandler';
import type { HubStore } from '../../shared/store/hubStore';
import { restoreBody } from '../../shared/users/recentlyDeleted';

/**
 * Delete, Recently deleted and Restore for Users › Pupils or Users › Teachers: the same three
 * routes over each kind's use cases in shared/users/recentlyDeleted.ts.
 */
export function recentlyDeletedEndpoints<Body>(kind: {
  plural: 'pupils' | 'teachers';
  idParameter: 'pupilId' | 'teacherId';
  deleteBody: z.ZodType<Body>;
  remove(store: HubStore, session: Session, body: Body, now: Date): Promise<unknown>;
  list(store: HubStore, centreId: string): Promise<unknown[]>;
  restore(store: HubStore, session: Session, id: string, deletedAt: string, now: Date): Promise<unknown>;
}): Endpoints {
  const base = `/api/users/${kind.plural}`;
  return {
    [`POST ${base}/delete`]: endpoint({
      body: kind.deleteBody,
      async run({ body, session, deps }) {
        return { status: 200, body: await kind.remove(deps.store, session!, body, deps.clock.now()) };
      },
    }),
    [`GET ${base}/deleted`]: endpoint({
      body: 'none',
      async run({ session, deps }) {
        return { status: 200, body: { [kind.plural]: await kind.list(deps.store, session!.centreId) } };
      },
    }),
    [`POST ${base}/deleted/{${kind.idParameter}}/restore`]: endpoint({
      body: restoreBody,
      example: { deletedAt: '2026-01-01T00:00:00.000Z' },
      async run({ body, session, deps, pathParameters }) {
        const id = pathParameters[kind.idParameter] ?? '';
        return { status: 200, body: await kind.restore(deps.store, session!, id, body.deletedAt, deps.clock.now()) };
      },
    }),
  };
}
