import {
  CurrentUser,
  Principal,
  Roles,
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiTags,
} from '@app/platform';
import { Body, Controller, Get, Header, Param, Post, Query, Res, StreamableFile } from '@nestjs/common';
import { Response } from 'express';
import { GenerateReportDto, ReportIdParam, ReportListQuery, ReportPage, ReportSummary } from './reports.dto';
import { ReportsService } from './reports.service';

@ApiTags('reports 报表')
@ApiBearerAuth()
@Controller('reports')
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  @Post()
  @Roles('analyst', 'supervisor')
  @ApiOperation({ summary: '生成报表 Generate (or regenerate) a daily summary, weekly bulletin or monthly ranking' })
  @ApiCreatedResponse({ type: ReportSummary })
  generate(@CurrentUser() user: Principal, @Body() b: GenerateReportDto): Promise<ReportSummary> {
    return this.reports.generateFor(user, b.kind, b.date, b.districtCode);
  }

  @Get()
  @Roles('analyst', 'supervisor', 'dispatcher')
  @ApiOperation({ summary: 'Stored reports, newest period first' })
  @ApiOkResponse({ type: ReportPage })
  list(@CurrentUser() user: Principal, @Query() q: ReportListQuery): Promise<ReportPage> {
    return this.reports.list(user, q);
  }

  @Get(':id')
  @ApiParam({ name: 'id', format: 'uuid' })
  @Roles('analyst', 'supervisor', 'dispatcher')
  @Header('Content-Type', 'text/html; charset=utf-8')
  @ApiProduces('text/html')
  @ApiOperation({ summary: 'The report as a zh-CN HTML page (charts inline SVG)' })
  async html(@CurrentUser() user: Principal, @Param() p: ReportIdParam): Promise<string> {
    return (await this.reports.get(user, p.id)).html;
  }

  @Get(':id/xlsx')
  @ApiParam({ name: 'id', format: 'uuid' })
  @Roles('analyst', 'supervisor', 'dispatcher')
  @ApiProduces('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  @ApiOperation({ summary: 'The report as a spreadsheet' })
  async xlsx(
    @CurrentUser() user: Principal,
    @Param() p: ReportIdParam,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile> {
    const r = await this.reports.get(user, p.id);
    res.set({
      'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'Content-Disposition': `attachment; filename="${fileName(r)}.xlsx"; filename*=UTF-8''${encodeURIComponent(r.title)}.xlsx`,
    });
    return new StreamableFile(r.xlsx);
  }

  @Get(':id/pdf')
  @ApiParam({ name: 'id', format: 'uuid' })
  @Roles('analyst', 'supervisor', 'dispatcher')
  @ApiProduces('application/pdf')
  @ApiOperation({ summary: 'The report as a PDF (A4, Chinese text in the configured CJK font, REPORT_PDF_FONT)' })
  async pdf(@CurrentUser() user: Principal, @Param() p: ReportIdParam, @Res({ passthrough: true }) res: Response): Promise<StreamableFile> {
    const { report: r, pdf } = await this.reports.pdf(user, p.id);
    res.set({
      'Content-Type': 'application/pdf',
      'Content-Disposition': `attachment; filename="${fileName(r)}.pdf"; filename*=UTF-8''${encodeURIComponent(r.title)}.pdf`,
    });
    return new StreamableFile(pdf);
  }
}

/** An ASCII file name for browsers that ignore filename* (the Chinese title is in filename*). */
function fileName(r: { kind: string; periodFrom: string; districtCode: string }): string {
  return `${r.kind}-${r.periodFrom}${r.districtCode ? `-${r.districtCode}` : ''}`;
}
