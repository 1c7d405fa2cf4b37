/* fuzz-load.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libFuzzer target for the image loader: any bytes must give an image or a
 * clear error, never a crash, a leak or a hang. Small images that load are
 * also analysed, as the app would do next.
 */
#include "derm-imaging.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  DermError err;
  DermImage *img = NULL;
  /* The first byte picks full or reduced decode, as previews use. */
  DermLoadOptions opt = { 0 };
  if (size > 0 && (data[size - 1] & 1))
    opt.max_side = 64;
  int status = derm_image_load_memory (data, size, &opt, &img, &err);
  if (status == DERM_STATUS_OK)
    {
      if (img == NULL || derm_image_get_width (img) <= 0)
        __builtin_trap ();
      if ((int64_t) derm_image_get_width (img) * derm_image_get_height (img) <= 512 * 512)
        {
          DermAnalysis *a = NULL;
          if (derm_analyze (img, NULL, NULL, &a, &err) == DERM_STATUS_OK)
            derm_analysis_free (a);
        }
      derm_image_free (img);
    }
  else if (img != NULL || err.message[0] == '\0' || err.code != status)
    {
      __builtin_trap ();
    }
  return 0;
}
