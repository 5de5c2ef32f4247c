import { Public, ApiBody, ApiConsumes, ApiOperation, ApiParam, ApiTags } from '@app/platform';
import { Body, Controller, Get, Headers, Param, Post, Query, Res, UseFilters } from '@nestjs/common';
import { Response } from 'express';
import { idempotencyOf } from '../tickets/idempotency';
import { Open311Error, Open311ErrorFilter } from './open311.errors';
import { Open311JurisdictionDto, Open311PostDto, Open311QueryDto } from './open311.dto';
import { Open311Format, send, splitFormat } from './open311.format';
import { Open311Service } from './open311.service';

function formatOf(path: string): Open311Format {
  const f = splitFormat(path).format;
  if (!f) throw new Open311Error(404, 'unknown format: use .xml or .json');
  return f;
}

function nameOf(file: string): string {
  const { name, format } = splitFormat(file);
  if (!format) throw new Open311Error(404, 'unknown format: use .xml or .json');
  return name;
}

/**
 * Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2) on the taxonomy, at /open311/v2. XML
 * or JSON by the URL suffix; errors as the spec defines them. Public: only POST needs an api_key.
 * Listed in this service's OpenAPI document so it can be found and tried; its contract remains the
 * GeoReport spec (the e2e suite validates the answers against the spec's own Swagger file).
 */
@ApiTags('open311 GeoReport v2')
@Controller('open311/v2')
@Public()
@UseFilters(Open311ErrorFilter)
export class Open311Controller {
  constructor(private readonly open311: Open311Service) {}

  @Get(['discovery.xml', 'discovery.json'])
  @ApiOperation({ summary: '服务发现 Discovery: the endpoint, its versions and formats' })
  discovery(@Res() res: Response): void {
    send(res, formatOf(res.req.path), 200, 'discovery', this.open311.discovery());
  }

  @Get(['services.xml', 'services.json'])
  @ApiOperation({ summary: "服务类别 Service list (the taxonomy's categories)" })
  services(@Query() q: Open311JurisdictionDto, @Res() res: Response): void {
    this.open311.checkJurisdiction(q.jurisdiction_id);
    send(res, formatOf(res.req.path), 200, 'services', this.open311.services());
  }

  @Get('services/:file')
  @ApiOperation({ summary: '服务定义 Service definition, e.g. services/lift.json' })
  @ApiParam({ name: 'file', example: 'lift.json' })
  async definition(@Param('file') file: string, @Query() q: Open311JurisdictionDto, @Res() res: Response): Promise<void> {
    this.open311.checkJurisdiction(q.jurisdiction_id);
    send(res, formatOf(file), 200, 'service_definition', await this.open311.definition(nameOf(file)));
  }

  @Get(['requests.xml', 'requests.json'])
  @ApiOperation({ summary: '诉求列表 Service requests (no citizen data), filtered by code, status and dates' })
  async list(@Query() q: Open311QueryDto, @Res() res: Response): Promise<void> {
    send(res, formatOf(res.req.path), 200, 'service_requests', await this.open311.list(q));
  }

  @Post(['requests.xml', 'requests.json'])
  @ApiOperation({ summary: '提交诉求 Submit a request (api_key required; form fields as the spec names them)' })
  @ApiConsumes('application/x-www-form-urlencoded', 'application/json')
  @ApiBody({ type: Open311PostDto })
  async create(@Body() dto: Open311PostDto, @Headers('idempotency-key') key: string | undefined, @Res() res: Response): Promise<void> {
    const format = formatOf(res.req.path);
    send(res, format, 201, 'service_requests', await this.open311.submit(dto, idempotencyOf(key, { ...dto, api_key: undefined })));
  }

  /** The spec text's form: a list holding the one request. */
  @Get('requests/:file')
  @ApiOperation({ summary: "诉求详情 One request, as a list of one (the spec text's form)" })
  async oneAsList(@Param('file') file: string, @Query() q: Open311JurisdictionDto, @Res() res: Response): Promise<void> {
    this.open311.checkJurisdiction(q.jurisdiction_id);
    send(res, formatOf(file), 200, 'service_requests', [await this.open311.one(nameOf(file))]);
  }

  /** The Swagger file's form: the request itself. */
  @Get('request/:file')
  @ApiOperation({ summary: "诉求详情 One request (the spec's Swagger form)" })
  async one(@Param('file') file: string, @Query() q: Open311JurisdictionDto, @Res() res: Response): Promise<void> {
    this.open311.checkJurisdiction(q.jurisdiction_id);
    const format = formatOf(file);
    const r = await this.open311.one(nameOf(file));
    send(res, format, 200, 'service_requests', format === 'xml' ? [r] : r);
  }

  @Get('tokens/:file')
  @ApiOperation({ summary: '令牌查询 The request id a token became' })
  async token(@Param('file') file: string, @Query() q: Open311JurisdictionDto, @Res() res: Response): Promise<void> {
    this.open311.checkJurisdiction(q.jurisdiction_id);
    const format = formatOf(file);
    const t = await this.open311.token(nameOf(file));
    send(res, format, 200, 'service_requests', format === 'xml' ? [t] : t);
  }
}
