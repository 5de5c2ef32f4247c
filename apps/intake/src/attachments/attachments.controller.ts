import { CurrentUser, Principal, Roles, ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiTags } from '@app/platform';
import { Controller, Get, Param, ParseUUIDPipe, Post, Query, Req, Res, StreamableFile } from '@nestjs/common';
import { Request, Response } from 'express';
import { AttachmentUploadQuery } from './attachments.dto';
import { AttachmentTooLargeException, AttachmentsService, AttachmentView } from './attachments.service';

@ApiTags('tickets 工单')
@ApiBearerAuth()
@Controller('tickets/:id/attachments')
export class AttachmentsController {
  constructor(private readonly attachments: AttachmentsService) {}

  @Post()
  @Roles('operator', 'handler', 'unit_head')
  @ApiOperation({
    summary: '上传附件 Attach a file: the raw bytes as the body, its type as Content-Type, ?fileName= its name',
  })
  @ApiConsumes('image/jpeg', 'image/png', 'image/webp', 'application/pdf', 'audio/mpeg', 'audio/wav', 'audio/amr')
  @ApiBody({ schema: { type: 'string', format: 'binary' } })
  async upload(
    @CurrentUser() user: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() q: AttachmentUploadQuery,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AttachmentView> {
    const length = req.headers['content-length'];
    try {
      return await this.attachments.upload(user, id, {
        fileName: q.fileName,
        contentType: req.headers['content-type'],
        declaredLength: length !== undefined && /^\d+$/.test(length) ? Number(length) : undefined,
        body: req,
      });
    } catch (e) {
      // The rest of an oversized body is not read: close the connection after answering.
      if (e instanceof AttachmentTooLargeException) res.setHeader('Connection', 'close');
      throw e;
    }
  }

  @Get()
  @Roles('operator', 'dispatcher', 'supervisor', 'analyst', 'handler', 'unit_head')
  @ApiOperation({ summary: '附件列表 The files on an order' })
  list(@CurrentUser() user: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<AttachmentView[]> {
    return this.attachments.list(user, id);
  }

  @Get(':attachmentId')
  @Roles('operator', 'dispatcher', 'supervisor', 'analyst', 'handler', 'unit_head')
  @ApiOperation({ summary: '下载附件 The file, with the content type it was uploaded with' })
  async download(
    @CurrentUser() user: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('attachmentId', ParseUUIDPipe) attachmentId: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile> {
    const { attachment: a, body } = await this.attachments.open(user, id, attachmentId);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('ETag', `"${a.sha256}"`);
    return new StreamableFile(body, {
      type: a.contentType,
      length: a.size,
      disposition: `attachment; filename*=UTF-8''${encodeURIComponent(a.fileName)}`,
    });
  }
}
