import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { ProcessorTypesResponse } from '@sluice/contracts';
import { processorDescriptors } from '@sluice/processors';

@ApiTags('processors')
@ApiBearerAuth()
@Controller('processor-types')
export class ProcessorTypesController {
  @Get()
  @ApiOperation({ summary: 'Every processor type with its JSON descriptor; the web renders forms from these' })
  list(): ProcessorTypesResponse {
    return { types: processorDescriptors() };
  }
}
