/**
 * How a refusal reads on screen, as a pure function of the error and the translator: a Chinese
 * heading by status (400 with fields, 403, 404, 409 …; any 5xx one heading; a CSRF refusal its own),
 * then the service's own reason, or its per-field problems with the fields named in the language; a
 * role guard's refusal (`role_required`) names the roles in the language.
 */
import { ApiError } from './http';

export type Translate = (key: string, options?: Record<string, unknown>) => string;

export function errorText(error: unknown, t: Translate): { title: string; detail: string } {
  if (!(error instanceof ApiError)) {
    return { title: t('errors.network'), detail: error instanceof Error ? error.message : '' };
  }
  const title =
    error.code === 'csrf'
      ? t('errors.csrf')
      : error.status >= 500
        ? t('errors.status5xx')
        : t(`errors.status${error.status}`, { defaultValue: t('errors.status400') });
  if (error.code === 'role_required' && error.roles.length)
    return { title, detail: t('errors.roleRequired', { roles: roleNames(error.roles, t) }) };
  const fields = error.fields.map((f) => `${t(`fields.${f.field}`, { defaultValue: f.field })}：${f.reason}`);
  const detail = fields.length ? fields.join('；') : error.message;
  return { title, detail };
}

/** Roles by name in the language (话务员、派单员 / Operator, Dispatcher); an unknown one as it is. */
export function roleNames(roles: readonly string[], t: Translate): string {
  return roles.map((r) => t(`roles.${r}`, { defaultValue: r })).join(t('errors.listSeparator'));
}
