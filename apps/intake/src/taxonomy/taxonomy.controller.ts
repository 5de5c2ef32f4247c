import { CityWide, Public, Roles, ApiBearerAuth, ApiOperation, ApiTags } from '@app/platform';
import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { SaveCategoryDto } from './category.dto';
import { CategoryView, TaxonomyService } from './taxonomy.service';

@ApiTags('categories 诉求分类')
@CityWide()
@Controller('categories')
export class TaxonomyController {
  constructor(private readonly taxonomy: TaxonomyService) {}

  /** Public: the web form and Open311 clients show it; it holds no personal data. */
  @Get()
  @Public()
  @ApiOperation({ summary: '诉求分类 The category taxonomy (active categories; all=true for retired ones too)' })
  list(@Query('all') all?: string): CategoryView[] {
    return this.taxonomy.list(all === 'true');
  }

  @Post()
  @Roles('admin')
  @ApiBearerAuth()
  @ApiOperation({ summary: '维护分类 Add or change a category (admin)' })
  save(@Body() dto: SaveCategoryDto): Promise<CategoryView> {
    return this.taxonomy.save(dto);
  }
}
