/* derm-photo-export.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Filtering works on the file's structure (JPEG segments, PNG chunks)
 * rather than trusting a metadata library to have seen everything:
 * exiv2 reads the first Exif block only, and knows nothing of a second
 * one or of data after the image.
 */
#define G_LOG_DOMAIN "derm-photos"

#include "config.h"

#include <gexiv2/gexiv2.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <libheif/heif.h>
#include <string.h>

#include "derm-export-file.h"
#include "derm-photo-decode.h"
#include "derm-photo-export.h"

static void
init_gexiv2 (void)
{
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      gexiv2_initialize ();
      g_once_init_leave (&initialized, 1);
    }
}

/* --- JPEG ---------------------------------------------------------------- */

static gboolean
is_exif_app1 (const guint8 *segment,
              gsize         length)
{
  return length >= 10 && memcmp (segment + 4, "Exif\0\0", 6) == 0;
}

/* Calls @func for every marker segment of a JPEG (data after SOS
 * included, where progressive files may keep more segments) and returns
 * FALSE when the structure is broken. @trailing is set to the number of
 * bytes after EOI. */
typedef gboolean (*SegmentFunc) (guint8        marker,
                                 const guint8 *segment,
                                 gsize         length,
                                 gpointer      user_data);

static gboolean
jpeg_walk (const guint8 *data,
           gsize         len,
           SegmentFunc   func,
           gpointer      user_data,
           gsize        *trailing)
{
  gsize i = 2;
  gboolean in_scan = FALSE;

  *trailing = 0;
  if (len < 4 || data[0] != 0xFF || data[1] != 0xD8)
    return FALSE;
  if (!func (0xD8, data, 2, user_data))
    return FALSE;

  while (i < len)
    {
      guint8 marker;
      gsize seglen;

      if (in_scan)
        {
          gsize start = i;

          /* entropy-coded bytes: FF 00 is a stuffed FF, FF D0-D7 restarts */
          while (i + 1 < len &&
                 !(data[i] == 0xFF && data[i + 1] != 0x00 && data[i + 1] != 0xFF &&
                   !(data[i + 1] >= 0xD0 && data[i + 1] <= 0xD7)))
            i++;
          if (i + 1 >= len)
            return FALSE;    /* no EOI */
          if (!func (0x00, data + start, i - start, user_data))
            return FALSE;
          in_scan = FALSE;
        }

      if (data[i] != 0xFF || i + 1 >= len)
        return FALSE;
      marker = data[i + 1];
      if (marker == 0xFF)
        {
          i++;
          continue;
        }
      if (marker == 0xD9)
        {
          if (!func (marker, data + i, 2, user_data))
            return FALSE;
          *trailing = len - (i + 2);
          return TRUE;
        }
      if ((marker >= 0xD0 && marker <= 0xD7) || marker == 0x01)
        {
          if (!func (marker, data + i, 2, user_data))
            return FALSE;
          i += 2;
          continue;
        }
      if (i + 4 > len)
        return FALSE;
      seglen = ((gsize) data[i + 2] << 8) | data[i + 3];
      if (seglen < 2 || i + 2 + seglen > len)
        return FALSE;
      if (!func (marker, data + i, seglen + 2, user_data))
        return FALSE;
      i += seglen + 2;
      if (marker == 0xDA)
        in_scan = TRUE;
    }
  return FALSE;
}

typedef struct
{
  GByteArray *out;
  gboolean    keep_exif;
  gboolean    exif_kept;
} FilterState;

static gboolean
filter_segment (guint8        marker,
                const guint8 *segment,
                gsize         length,
                gpointer      user_data)
{
  FilterState *state = user_data;

  if (marker == 0xE1)
    {
      /* Exif, XMP, extended XMP, a second Exif: only the first Exif stays */
      if (!state->keep_exif || state->exif_kept || !is_exif_app1 (segment, length))
        return TRUE;
      state->exif_kept = TRUE;
    }
  else if (marker == 0xED)
    return TRUE;   /* Photoshop resources: IPTC, with its city and country */
  else if (marker == 0xE2 && length >= 8 && memcmp (segment + 4, "MPF\0", 4) == 0)
    return TRUE;   /* multi-picture index; the pictures after EOI go too */
  g_byte_array_append (state->out, segment, (guint) length);
  return TRUE;
}

static GByteArray *
jpeg_filter (const guint8 *data,
             gsize         len,
             gboolean      keep_exif)
{
  FilterState state = { g_byte_array_sized_new ((guint) len), keep_exif, FALSE };
  gsize trailing;

  if (!jpeg_walk (data, len, filter_segment, &state, &trailing))
    {
      g_byte_array_unref (state.out);
      return NULL;
    }
  return state.out;
}

static gboolean
exif_has_location (GExiv2Metadata *md)
{
  g_auto (GStrv) tags = gexiv2_metadata_get_exif_tags (md);

  for (guint i = 0; tags != NULL && tags[i] != NULL; i++)
    if (g_str_has_prefix (tags[i], "Exif.GPSInfo.") ||
        g_str_equal (tags[i], "Exif.Image.GPSTag"))
      return TRUE;
  return FALSE;
}

static gboolean
app1_has_location (const guint8 *app1,
                   gsize         length)
{
  g_autoptr (GExiv2Metadata) md = gexiv2_metadata_new ();

  init_gexiv2 ();
  /* Unreadable means unknown: treat it as carrying a location */
  if (!gexiv2_metadata_from_app1_segment (md, app1, (glong) length, NULL))
    return TRUE;
  return exif_has_location (md);
}

typedef struct
{
  guint    n_exif;
  gboolean clean;
} CheckState;

static gboolean
check_segment (guint8        marker,
               const guint8 *segment,
               gsize         length,
               gpointer      user_data)
{
  CheckState *state = user_data;

  if (marker == 0xE1)
    {
      if (!is_exif_app1 (segment, length) || ++state->n_exif > 1 ||
          app1_has_location (segment + 4, length - 4))
        state->clean = FALSE;
    }
  else if (marker == 0xED ||
           (marker == 0xE2 && length >= 8 && memcmp (segment + 4, "MPF\0", 4) == 0))
    state->clean = FALSE;
  return TRUE;
}

static gboolean
jpeg_is_clean (const guint8 *data,
               gsize         len)
{
  CheckState state = { 0, TRUE };
  gsize trailing;

  return jpeg_walk (data, len, check_segment, &state, &trailing) && trailing == 0 && state.clean;
}

/* --- PNG ----------------------------------------------------------------- */

static const guint8 png_signature[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };

/* Ancillary chunks that cannot hold text or a location */
static gboolean
png_chunk_allowed (const guint8 *type)
{
  static const char * const allowed[] = {
    "gAMA", "cHRM", "sRGB", "iCCP", "sBIT", "pHYs", "bKGD", "tRNS", "hIST", "cICP", "mDCv", "cLLi",
  };

  if ((type[0] & 0x20) == 0)
    return TRUE;    /* critical: IHDR, PLTE, IDAT, IEND */
  for (guint i = 0; i < G_N_ELEMENTS (allowed); i++)
    if (memcmp (type, allowed[i], 4) == 0)
      return TRUE;
  return FALSE;
}

/* With @out NULL, only checks: FALSE when a chunk would be dropped */
static gboolean
png_filter (const guint8 *data,
            gsize         len,
            GByteArray   *out)
{
  gsize i = 8;

  if (len < 8 || memcmp (data, png_signature, 8) != 0)
    return FALSE;
  if (out != NULL)
    g_byte_array_append (out, data, 8);
  while (i + 12 <= len)
    {
      gsize chunk_len = ((gsize) data[i] << 24) | ((gsize) data[i + 1] << 16) |
                        ((gsize) data[i + 2] << 8) | data[i + 3];
      const guint8 *type = data + i + 4;

      if (chunk_len > len - i - 12)
        return FALSE;
      if (png_chunk_allowed (type))
        {
          if (out != NULL)
            g_byte_array_append (out, data + i, (guint) (chunk_len + 12));
        }
      else if (out == NULL)
        return FALSE;
      i += chunk_len + 12;
      if (memcmp (type, "IEND", 4) == 0)
        return out != NULL || i == len;
    }
  return FALSE;
}

/* --- TIFF and HEIF ------------------------------------------------------- */

static gboolean
metadata_is_clean (GExiv2Metadata *md)
{
  g_auto (GStrv) xmp = gexiv2_metadata_get_xmp_tags (md);
  g_auto (GStrv) iptc = gexiv2_metadata_get_iptc_tags (md);

  return !exif_has_location (md) && (xmp == NULL || xmp[0] == NULL) &&
         (iptc == NULL || iptc[0] == NULL);
}

static gboolean
tiff_is_clean (const char *path)
{
  g_autoptr (GExiv2Metadata) md = gexiv2_metadata_new ();

  init_gexiv2 ();
  return gexiv2_metadata_open_path (md, path, NULL) && metadata_is_clean (md);
}

static gboolean
heif_is_clean (const char *path)
{
  struct heif_context *ctx = heif_context_alloc ();
  struct heif_image_handle *handle = NULL;
  gboolean clean = FALSE;

  if (heif_context_read_from_file (ctx, path, NULL).code == heif_error_Ok &&
      heif_context_get_primary_image_handle (ctx, &handle).code == heif_error_Ok)
    {
      int n = heif_image_handle_get_number_of_metadata_blocks (handle, NULL);
      g_autofree heif_item_id *ids = g_new0 (heif_item_id, MAX (n, 1));

      clean = TRUE;
      n = heif_image_handle_get_list_of_metadata_block_IDs (handle, NULL, ids, n);
      for (int k = 0; k < n && clean; k++)
        {
          const char *type = heif_image_handle_get_metadata_type (handle, ids[k]);
          gsize size = heif_image_handle_get_metadata_size (handle, ids[k]);
          g_autofree guint8 *data = g_malloc (MAX (size, 1));

          if (heif_image_handle_get_metadata (handle, ids[k], data).code != heif_error_Ok)
            clean = FALSE;
          else if (g_strcmp0 (type, "Exif") == 0)
            {
              guint32 offset = size >= 4 ? ((guint32) data[0] << 24) | ((guint32) data[1] << 16) |
                                           ((guint32) data[2] << 8) | data[3] : G_MAXUINT32;
              g_autoptr (GByteArray) app1 = g_byte_array_new ();

              if (offset == G_MAXUINT32 || (gsize) offset + 4 >= size)
                clean = FALSE;
              else
                {
                  g_byte_array_append (app1, (const guint8 *) "Exif\0\0", 6);
                  g_byte_array_append (app1, data + 4 + offset, (guint) (size - 4 - offset));
                  clean = !app1_has_location (app1->data, app1->len);
                }
            }
          else
            /* XMP and anything else: only when it says nothing of a place */
            clean = g_strstr_len ((const char *) data, (gssize) size, "GPS") == NULL &&
                    g_strstr_len ((const char *) data, (gssize) size, "Location") == NULL &&
                    g_strstr_len ((const char *) data, (gssize) size, "City") == NULL;
        }
    }

  if (handle != NULL)
    heif_image_handle_release (handle);
  heif_context_free (ctx);
  return clean;
}

/* Names of location fields as they appear in XMP text, wherever it hides */
static gboolean
mentions_location (const guint8 *data,
                   gsize         len)
{
  static const char * const needles[] = {
    "GPSLatitude", "GPSLongitude", "GPSPosition", "LocationCreated", "LocationShown",
  };

  for (guint i = 0; i < G_N_ELEMENTS (needles); i++)
    if (memmem (data, len, needles[i], strlen (needles[i])) != NULL)
      return TRUE;
  return FALSE;
}

gboolean
derm_photo_file_is_location_free (const char *path)
{
  g_autofree char *contents = NULL;
  gsize len = 0;

  if (!g_file_get_contents (path, &contents, &len, NULL) ||
      mentions_location ((const guint8 *) contents, len))
    return FALSE;

  switch (derm_photo_format_sniff ((const guint8 *) contents, len))
    {
    case DERM_PHOTO_FORMAT_JPEG:
      return jpeg_is_clean ((const guint8 *) contents, len);
    case DERM_PHOTO_FORMAT_PNG:
      return png_filter ((const guint8 *) contents, len, NULL);
    case DERM_PHOTO_FORMAT_TIFF:
      return tiff_is_clean (path);
    case DERM_PHOTO_FORMAT_HEIF:
      return heif_is_clean (path);
    case DERM_PHOTO_FORMAT_UNKNOWN:
    default:
      return FALSE;
    }
}

/* --- export -------------------------------------------------------------- */

/* exiv2 removes GPS from the one Exif block and rewrites the file */
static gboolean
strip_with_exiv2 (const char *path)
{
  g_autoptr (GExiv2Metadata) md = gexiv2_metadata_new ();
  g_autoptr (GError) error = NULL;

  init_gexiv2 ();
  if (!gexiv2_metadata_open_path (md, path, NULL))
    return FALSE;
  gexiv2_metadata_try_delete_gps_info (md, &error);
  if (error != NULL)
    return FALSE;
  gexiv2_metadata_clear_xmp (md);
  gexiv2_metadata_clear_iptc (md);
  return gexiv2_metadata_save_file (md, path, NULL);
}

static gboolean
write_bytes (const char  *path,
             GByteArray  *bytes)
{
  return g_file_set_contents_full (path, (const char *) bytes->data, bytes->len,
                                   G_FILE_SET_CONTENTS_NONE, 0600, NULL);
}

static gboolean
export_jpeg (const guint8 *data,
             gsize         len,
             const char   *temp)
{
  g_autoptr (GByteArray) filtered = jpeg_filter (data, len, TRUE);
  g_autofree char *again = NULL;
  gsize again_len = 0;

  if (filtered == NULL || !write_bytes (temp, filtered))
    return FALSE;

  if (!strip_with_exiv2 (temp))
    {
      /* exiv2 cannot read this Exif block: drop it whole */
      g_autoptr (GByteArray) bare = jpeg_filter (data, len, FALSE);

      return bare != NULL && write_bytes (temp, bare);
    }

  /* exiv2 may have added segments of its own: filter once more */
  if (!g_file_get_contents (temp, &again, &again_len, NULL))
    return FALSE;
  g_clear_pointer (&filtered, g_byte_array_unref);
  filtered = jpeg_filter ((const guint8 *) again, again_len, TRUE);
  return filtered != NULL && write_bytes (temp, filtered);
}

gboolean
derm_photo_export_without_location (const char  *original,
                                    const char  *dest,
                                    const char  *data_dir,
                                    gboolean     overwrite,
                                    GError     **error)
{
  g_autoptr (DermExportFile) file = NULL;
  g_autoptr (GError) local_error = NULL;
  g_autofree char *contents = NULL;
  const char *temp;
  gsize len = 0;
  gboolean ok = FALSE;

  g_return_val_if_fail (original != NULL && dest != NULL, FALSE);

  if (!g_file_get_contents (original, &contents, &len, &local_error))
    {
      g_set_error (error, DERM_EXPORT_ERROR, DERM_EXPORT_ERROR_IO,
                   _("Could not read the original: %s"), local_error->message);
      return FALSE;
    }

  file = derm_export_file_begin (dest, data_dir, overwrite, error);
  if (file == NULL)
    return FALSE;
  temp = derm_export_file_get_temp_path (file);

  switch (derm_photo_format_sniff ((const guint8 *) contents, len))
    {
    case DERM_PHOTO_FORMAT_JPEG:
      ok = export_jpeg ((const guint8 *) contents, len, temp);
      break;
    case DERM_PHOTO_FORMAT_PNG:
      {
        g_autoptr (GByteArray) filtered = g_byte_array_new ();

        ok = png_filter ((const guint8 *) contents, len, filtered) && write_bytes (temp, filtered);
      }
      break;
    case DERM_PHOTO_FORMAT_TIFF:
      ok = g_file_set_contents_full (temp, contents, (gssize) len, G_FILE_SET_CONTENTS_NONE, 0600, NULL) &&
           strip_with_exiv2 (temp);
      break;
    case DERM_PHOTO_FORMAT_HEIF:
      /* No HEIF writer here: a file with a location is refused below */
      ok = g_file_set_contents_full (temp, contents, (gssize) len, G_FILE_SET_CONTENTS_NONE, 0600, NULL);
      break;
    case DERM_PHOTO_FORMAT_UNKNOWN:
    default:
      ok = FALSE;
      break;
    }

  if (!ok || !derm_photo_file_is_location_free (temp))
    {
      g_set_error (error, DERM_EXPORT_ERROR, DERM_EXPORT_ERROR_IO,
                   _("The location could not be removed from this photo, so it was not exported. Export it as JPEG instead."));
      return FALSE;
    }

  return derm_export_file_commit (g_steal_pointer (&file), error);
}
