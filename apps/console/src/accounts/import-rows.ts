import { flattenValidationErrors } from '@app/platform';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { CreateAccountDto } from './accounts.dto';

export interface RowError {
  field: string;
  reason: string;
}

/** Column headings accepted (Chinese as staff write them, or the field names). */
const HEADINGS: Record<string, keyof CreateAccountDto> = {
  loginname: 'loginName',
  登录名: 'loginName',
  账号: 'loginName',
  displayname: 'displayName',
  姓名: 'displayName',
  mobile: 'mobile',
  手机: 'mobile',
  手机号: 'mobile',
  email: 'email',
  'e-mail': 'email',
  邮箱: 'email',
  电子邮箱: 'email',
  电子邮件: 'email',
  unitid: 'unitId',
  单位id: 'unitId',
  单位: 'unitId',
  roles: 'roles',
  角色: 'roles',
  districts: 'districts',
  辖区: 'districts',
  password: 'password',
  初始密码: 'password',
  oidcsubject: 'oidcSubject',
  统一身份标识: 'oidcSubject',
};

export function fieldOfHeading(heading: string): keyof CreateAccountDto | null {
  return HEADINGS[heading.replace(/\s+/g, '').toLowerCase()] ?? null;
}

const list = (v: string) =>
  v
    .split(/[,，、;；\s]+/)
    .map((s) => s.trim())
    .filter(Boolean);

/** One spreadsheet row (heading → cell text) to a checked CreateAccountDto, or its errors by field. */
export function validateRow(cells: Partial<Record<keyof CreateAccountDto, string>>): { dto?: CreateAccountDto; errors: RowError[] } {
  const plain: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(cells)) {
    const t = (v ?? '').trim();
    if (!t) continue;
    plain[k] = k === 'roles' || k === 'districts' ? list(t) : t;
  }
  plain.roles ??= [];
  plain.districts ??= [];
  const dto = plainToInstance(CreateAccountDto, plain);
  const errors: RowError[] = flattenValidationErrors(validateSync(dto, { whitelist: true, forbidNonWhitelisted: true }));
  if (!(plain.roles as string[]).length) errors.push({ field: 'roles', reason: 'at least one role' });
  if (!(plain.districts as string[]).length) errors.push({ field: 'districts', reason: 'at least one district (or *)' });
  return errors.length ? { errors } : { dto, errors };
}
