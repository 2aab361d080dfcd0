/** The Integrator documentation's base script: a pass-through that runs unchanged on the Python engine. */
export const BASE_PYTHON_SCRIPT = `import json
import traceback
from java.nio.charset import StandardCharsets
from org.apache.commons.io import IOUtils
from org.apache.nifi.processor.io import StreamCallback

class TransformCallback(StreamCallback):
   def __init__(self, flowFile):
       self.flowFile = flowFile
       self.omnitron_token = flowFile.getAttribute("token.omnitron")
       self.erp_token = flowFile.getAttribute("token.erp")


   def process(self, inputStream, outputStream):
       input_text = IOUtils.toString(inputStream, StandardCharsets.UTF_8)
       input_obj = json.loads(input_text)

       # Transform content
       output_obj = self.transform(input_obj)

       # Write output content
       outputStream.write(bytearray(json.dumps(output_obj, indent=4).encode('utf-8')))

   def transform(self, output_obj):
       # Transform content
       return output_obj

flowFile = session.get()
if flowFile != None:
   try:
       flowFile = session.write(flowFile, TransformCallback(flowFile))
       # Finish by transferring the FlowFile to an output relationship
       session.transfer(flowFile, REL_SUCCESS)
   except:
       var = traceback.format_exc()
       session.putAttribute(flowFile, 'log.error.script_error', str(var))
       session.transfer(flowFile, REL_FAILURE)
   session.commit()
`;

/** The documentation's example mapping: ERP stock rows to Omnitron's product_stock fields. */
export const STOCK_MAPPING_SPEC = `[
    {
        "operation": "shift",
        "spec": {
            "*": {
                "sku": "[&1].product_sku",
                "stock": "[&1].stock",
                "stock_list": "[&1].stock_list",
                "unit_type": "[&1].unit_type",
                "updated_date": "[&1].updated_date"
            }
        }
    }
]`;

/** ERP image rows ({sku, images}) to Omnitron's {product_sku, images}. */
export const IMAGE_MAPPING_SPEC = `[
    {
        "operation": "shift",
        "spec": {
            "*": {
                "sku": "[&1].product_sku",
                "base_code": "[&1].base_code",
                "images": "[&1].images"
            }
        }
    }
]`;
