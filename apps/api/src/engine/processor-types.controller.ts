import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { ControllerServiceTypesResponse, ProcessorTypesResponse } from '@sluice/contracts';
import { controllerServiceDescriptors, processorDescriptors } from '@sluice/processors';

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

@ApiTags('processors')
@ApiBearerAuth()
@Controller('controller-service-types')
export class ControllerServiceTypesController {
  @Get()
  @ApiOperation({ summary: 'Every controller service type (record readers and writers) with its JSON descriptor and the service APIs it implements' })
  list(): ControllerServiceTypesResponse {
    return { types: controllerServiceDescriptors() };
  }
}
