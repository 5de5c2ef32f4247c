/** The callback service's views, from its OpenAPI document (`npm run openapi` regenerates `api/callback.d.ts`). */
import type { components } from '../../api/callback';

type S = components['schemas'];

export type TaskKind = S['CallbackTaskKind'];
export type TaskState = S['CallbackTaskState'];
export type AttemptResult = S['AttemptResult'];
export type Satisfaction = S['Satisfaction'];
export type Task = S['TaskListView'];
export type Attempt = S['CallbackAttemptView'];
export type TaskDetail = S['TaskDetailView'];
export type SentLink = S['SentLinkView'];
