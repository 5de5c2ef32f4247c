import { CITY_PLACES } from '@app/contracts';
import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { IntakeConfig } from '../intake.config';
import { INTAKE_CONFIG } from '../intake.tokens';
import { PlacesView } from './places.dto';

/**
 * The city's place list for pickers (GET /places). It changes only with a release, so the document
 * and its entity tag are built once; a client that sends the tag back gets 304 and keeps its copy.
 */
@Injectable()
export class PlacesService {
  readonly view: PlacesView;
  readonly etag: string;

  constructor(@Inject(INTAKE_CONFIG) config: IntakeConfig) {
    this.view = {
      cityCode: config.CITY_CODE,
      districts: CITY_PLACES.map((d) => ({
        code: d.code,
        nameZh: d.nameZh,
        nameEn: d.nameEn,
        aliases: d.aliases,
        streets: d.streets.map((s) => ({
          code: s.code,
          kind: s.kind,
          nameZh: s.nameZh,
          nameEn: s.nameEn,
          aliases: s.aliases,
          communities: s.communities.map((c) => ({ code: c.code, kind: c.kind, nameZh: c.nameZh, nameEn: c.nameEn, aliases: c.aliases })),
        })),
      })),
    };
    this.etag = `"${createHash('sha256').update(JSON.stringify(this.view)).digest('base64url').slice(0, 27)}"`;
  }

  /** Does an If-None-Match header name the current list? (`*`, or one of a comma-separated list, weak or strong) */
  isCurrent(ifNoneMatch: string | undefined): boolean {
    if (!ifNoneMatch) return false;
    return ifNoneMatch
      .split(',')
      .map((t) => t.trim().replace(/^W\//, ''))
      .some((t) => t === '*' || t === this.etag);
  }
}
