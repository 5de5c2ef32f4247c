import { CityWide, CurrentUser, Principal, Roles, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@app/platform';
import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ArticleView, CreateArticleDto, SearchArticlesDto, UpdateArticleDto } from './knowledge.dto';
import { KnowledgeService } from './knowledge.service';

@ApiTags('knowledge 知识库')
@ApiBearerAuth()
@CityWide()
@Controller('kb/articles')
export class KnowledgeController {
  constructor(private readonly knowledge: KnowledgeService) {}

  @Get()
  @Roles('operator', 'dispatcher', 'supervisor', 'handler')
  @ApiOperation({ summary: '知识库检索 Search articles valid today (Chinese full text); without q, the newest' })
  @ApiOkResponse({ type: [ArticleView] })
  search(@Query() q: SearchArticlesDto): Promise<ArticleView[]> {
    const expired = q.includeExpired === 'true';
    return q.q?.trim() ? this.knowledge.search(q.q, q.categoryCode, 10, expired) : this.knowledge.latest(100, expired);
  }

  @Get(':id')
  @Roles('operator', 'dispatcher', 'supervisor', 'handler')
  @ApiOkResponse({ type: ArticleView })
  get(@Param('id', ParseUUIDPipe) id: string): Promise<ArticleView> {
    return this.knowledge.get(id);
  }

  @Post()
  @Roles('supervisor')
  @ApiOperation({ summary: '新增知识 Add an article (supervisor, admin)' })
  @ApiOkResponse({ type: ArticleView })
  create(@CurrentUser() user: Principal, @Body() dto: CreateArticleDto): Promise<ArticleView> {
    return this.knowledge.create(user, dto);
  }

  @Patch(':id')
  @Roles('supervisor')
  @ApiOperation({ summary: '修改知识 Edit an article (supervisor, admin)' })
  @ApiOkResponse({ type: ArticleView })
  update(@Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateArticleDto): Promise<ArticleView> {
    return this.knowledge.update(id, dto);
  }
}
