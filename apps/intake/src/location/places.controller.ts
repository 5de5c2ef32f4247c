import { CityWide, Public, ApiHeader, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@app/platform';
import { Controller, Get, Headers, HttpStatus, Res } from '@nestjs/common';
import type { Response } from 'express';
import { PlacesView } from './places.dto';
import { PlacesService } from './places.service';

@ApiTags('places 区划')
@CityWide()
@Controller('places')
export class PlacesController {
  constructor(private readonly places: PlacesService) {}

  /** Public: place names and codes are no one's personal data; the web form may use them too. */
  @Get()
  @Public()
  @ApiOperation({ summary: '区划 The city’s districts, streets/townships and communities/villages with codes and names' })
  @ApiHeader({ name: 'If-None-Match', required: false, description: 'The ETag of a copy the client holds' })
  @ApiOkResponse({ type: PlacesView })
  @ApiResponse({ status: 304, description: 'The copy the client holds is current' })
  list(@Headers('if-none-match') ifNoneMatch: string | undefined, @Res({ passthrough: true }) res: Response): PlacesView | undefined {
    res.setHeader('ETag', this.places.etag);
    res.setHeader('Cache-Control', 'public, max-age=300, must-revalidate');
    if (this.places.isCurrent(ifNoneMatch)) {
      res.status(HttpStatus.NOT_MODIFIED);
      return undefined;
    }
    return this.places.view;
  }
}
