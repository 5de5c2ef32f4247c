import { CityWide, CurrentUser, Principal, Roles } from '@app/platform';
import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CreateArticleDto, SearchArticlesDto } from './knowledge.dto';
import { ArticleView, KnowledgeService } from './knowledge.service';

@ApiTags('knowledge 知识库')
@ApiBearerAuth()
@CityWide()
@Controller('kb/articles')
export class KnowledgeController {
  constructor(private readonly knowledge: KnowledgeService) {}

  @Get()
  @Roles('operator', 'dispatcher', 'supervisor', 'handler')
  @ApiOperation({ summary: '知识库检索 Search articles valid today (Chinese full text)' })
  search(@Query() q: SearchArticlesDto): Promise<ArticleView[]> {
    return this.knowledge.search(q.q, q.categoryCode, 10, q.includeExpired === 'true');
  }

  @Get(':id')
  @Roles('operator', 'dispatcher', 'supervisor', 'handler')
  get(@Param('id', ParseUUIDPipe) id: string): Promise<ArticleView> {
    return this.knowledge.get(id);
  }

  @Post()
  @Roles('supervisor')
  @ApiOperation({ summary: '新增知识 Add an article (supervisor, admin)' })
  create(@CurrentUser() user: Principal, @Body() dto: CreateArticleDto): Promise<ArticleView> {
    return this.knowledge.create(user, dto);
  }
}
