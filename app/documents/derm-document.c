/* derm-document.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Layout is done once per page size with a Pango context of its own (72
 * units per inch, no hinting, so lines break the same on screen, printer
 * and PDF), then each page is drawn from the placements.
 */
#define G_LOG_DOMAIN "derm-document"

#include "config.h"

#include <cairo-pdf.h>
#include <string.h>
#include <glib/gi18n.h>
#include <pango/pangocairo.h>

#include "derm-document.h"
#include "derm-export-file.h"
#include "derm-validate.h"

#define MARGIN_X       48.0
#define MARGIN_TOP     36.0
#define MARGIN_BOTTOM  36.0
#define HEADER_HEIGHT  58.0   /* logo and clinic name, every page */
#define FOOTER_HEIGHT  24.0
#define LOGO_MAX_W     140.0
#define LOGO_MAX_H     48.0
#define LOGO_MAX_PX    4096
#define BLOCK_GAP      6.0
#define FIELD_GAP      3.0
#define IMAGE_GAP      10.0

G_DEFINE_QUARK (derm-document-error-quark, derm_document_error)

typedef enum
{
  BLOCK_TITLE,
  BLOCK_HEADING,
  BLOCK_PARAGRAPH,
  BLOCK_NOTE,
  BLOCK_FIELD,
  BLOCK_IMAGES,
  BLOCK_DRAWING,
  BLOCK_PAGE_BREAK,
} BlockKind;

typedef struct
{
  BlockKind             kind;
  char                 *text;      /* label for a field */
  char                 *value;     /* fields */
  GPtrArray            *images;    /* cairo_surface_t */
  GPtrArray            *captions;  /* char *, NULL allowed */
  double                height;    /* images, drawings: the requested height */
  DermDocumentDrawFunc  func;
  gpointer              user_data;
  GDestroyNotify        destroy;

  /* Set by the layout */
  PangoLayout          *layout;
  PangoLayout          *value_layout;
  GPtrArray            *caption_layouts;
  double                measured;  /* full height */
} Block;

typedef struct
{
  Block  *block;
  guint   page;
  double  y;        /* top on the page */
  double  clip_top; /* for a paragraph split over pages: the part shown, in layout units */
  double  clip_bottom;
} Placement;

struct _DermDocument
{
  GObject          parent_instance;

  char            *title;
  char            *date;
  char            *clinic_name;
  char            *contact;
  cairo_surface_t *logo;

  GPtrArray       *blocks;      /* Block */
  GArray          *placements;  /* Placement */
  guint            n_pages;
  double           width;
  double           height;
  PangoContext    *context;
  PangoLayout     *header_name;
  PangoLayout     *header_contact;
};

G_DEFINE_FINAL_TYPE (DermDocument, derm_document, G_TYPE_OBJECT)

static void
block_clear_layout (Block *b)
{
  g_clear_object (&b->layout);
  g_clear_object (&b->value_layout);
  g_clear_pointer (&b->caption_layouts, g_ptr_array_unref);
}

static void
block_free (gpointer data)
{
  Block *b = data;

  block_clear_layout (b);
  g_free (b->text);
  g_free (b->value);
  g_clear_pointer (&b->images, g_ptr_array_unref);
  g_clear_pointer (&b->captions, g_ptr_array_unref);
  if (b->destroy != NULL)
    b->destroy (b->user_data);
  g_free (b);
}

static void
derm_document_finalize (GObject *object)
{
  DermDocument *self = DERM_DOCUMENT (object);

  g_free (self->title);
  g_free (self->date);
  g_free (self->clinic_name);
  g_free (self->contact);
  g_clear_pointer (&self->logo, cairo_surface_destroy);
  g_ptr_array_unref (self->blocks);
  g_array_unref (self->placements);
  g_clear_object (&self->header_name);
  g_clear_object (&self->header_contact);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (derm_document_parent_class)->finalize (object);
}

static void
derm_document_class_init (DermDocumentClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = derm_document_finalize;
}

static void
derm_document_init (DermDocument *self)
{
  self->blocks = g_ptr_array_new_with_free_func (block_free);
  self->placements = g_array_new (FALSE, TRUE, sizeof (Placement));
  self->clinic_name = g_strdup ("");
  self->contact = g_strdup ("");
}

void
derm_paper_get_size (DermPaper  paper,
                     double    *width,
                     double    *height)
{
  if (paper == DERM_PAPER_LETTER)
    {
      *width = 612.0;
      *height = 792.0;
    }
  else
    {
      *width = 595.28;
      *height = 841.89;
    }
}

static Block *
add_block (DermDocument *self,
           BlockKind     kind,
           const char   *text)
{
  Block *b = g_new0 (Block, 1);

  b->kind = kind;
  b->text = g_strdup (text != NULL ? text : "");
  g_ptr_array_add (self->blocks, b);
  return b;
}

DermDocument *
derm_document_new (const char *title,
                   const char *date)
{
  DermDocument *self;

  g_return_val_if_fail (title != NULL, NULL);

  self = g_object_new (DERM_TYPE_DOCUMENT, NULL);
  self->title = g_strdup (title);
  self->date = g_strdup (date != NULL ? date : "");
  add_block (self, BLOCK_TITLE, title);
  return self;
}

const char *
derm_document_get_title (DermDocument *self)
{
  g_return_val_if_fail (DERM_IS_DOCUMENT (self), NULL);
  return self->title;
}

typedef struct
{
  const guint8 *data;
  gsize         size;
  gsize         offset;
} PngReader;

static cairo_status_t
read_png (void          *closure,
          unsigned char *data,
          unsigned int   length)
{
  PngReader *r = closure;

  if (r->size - r->offset < length)
    return CAIRO_STATUS_READ_ERROR;
  memcpy (data, r->data + r->offset, length);
  r->offset += length;
  return CAIRO_STATUS_SUCCESS;
}

static cairo_surface_t *
decode_logo (GBytes  *logo_png,
             GError **error)
{
  PngReader reader = { 0 };
  cairo_surface_t *surface;
  int w, h;

  reader.data = g_bytes_get_data (logo_png, &reader.size);
  surface = cairo_image_surface_create_from_png_stream (read_png, &reader);
  if (cairo_surface_status (surface) != CAIRO_STATUS_SUCCESS)
    {
      cairo_surface_destroy (surface);
      g_set_error (error, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_INVALID,
                   _("The logo is not a readable PNG image. Save it again as PNG and choose it again."));
      return NULL;
    }
  w = cairo_image_surface_get_width (surface);
  h = cairo_image_surface_get_height (surface);
  if (w < 1 || h < 1 || w > LOGO_MAX_PX || h > LOGO_MAX_PX)
    {
      cairo_surface_destroy (surface);
      g_set_error (error, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_INVALID,
                   _("The logo is %d × %d pixels; at most %d × %d fits. Save it smaller."),
                   w, h, LOGO_MAX_PX, LOGO_MAX_PX);
      return NULL;
    }
  return surface;
}

gboolean
derm_document_check_logo (GBytes  *logo_png,
                          GError **error)
{
  cairo_surface_t *surface;

  g_return_val_if_fail (logo_png != NULL, FALSE);

  surface = decode_logo (logo_png, error);
  if (surface == NULL)
    return FALSE;
  cairo_surface_destroy (surface);
  return TRUE;
}

gboolean
derm_document_set_letterhead (DermDocument *self,
                              const char   *clinic_name,
                              const char   *contact,
                              GBytes       *logo_png,
                              GError      **error)
{
  cairo_surface_t *logo = NULL;

  g_return_val_if_fail (DERM_IS_DOCUMENT (self), FALSE);

  if (logo_png != NULL && (logo = decode_logo (logo_png, error)) == NULL)
    return FALSE;
  g_clear_pointer (&self->logo, cairo_surface_destroy);
  self->logo = logo;
  g_free (self->clinic_name);
  self->clinic_name = g_strdup (clinic_name != NULL ? clinic_name : "");
  g_free (self->contact);
  self->contact = g_strdup (contact != NULL ? contact : "");
  return TRUE;
}

gboolean
derm_document_load_letterhead (DermDocument  *self,
                               DermStore     *store,
                               GError       **error)
{
  g_autofree char *name = NULL;
  g_autofree char *contact = NULL;
  g_autoptr (GBytes) logo = NULL;

  g_return_val_if_fail (DERM_IS_DOCUMENT (self), FALSE);

  return derm_store_get_letterhead (store, &name, &contact, &logo, NULL, error) &&
         derm_document_set_letterhead (self, name, contact, logo, error);
}

void
derm_document_add_heading (DermDocument *self,
                           const char   *text)
{
  g_return_if_fail (DERM_IS_DOCUMENT (self));
  add_block (self, BLOCK_HEADING, text);
}

void
derm_document_add_paragraph (DermDocument *self,
                             const char   *text)
{
  g_return_if_fail (DERM_IS_DOCUMENT (self));
  add_block (self, BLOCK_PARAGRAPH, text);
}

void
derm_document_add_note (DermDocument *self,
                        const char   *text)
{
  g_return_if_fail (DERM_IS_DOCUMENT (self));
  add_block (self, BLOCK_NOTE, text);
}

void
derm_document_add_field (DermDocument *self,
                         const char   *label,
                         const char   *value)
{
  Block *b;

  g_return_if_fail (DERM_IS_DOCUMENT (self));

  b = add_block (self, BLOCK_FIELD, label);
  b->value = g_strdup (value != NULL && *value != '\0' ? value : "—");
}

void
derm_document_add_images (DermDocument     *self,
                          cairo_surface_t **images,
                          const char      **captions,
                          guint             n_images,
                          double            height)
{
  Block *b;

  g_return_if_fail (DERM_IS_DOCUMENT (self));
  g_return_if_fail (n_images > 0 && height > 0);

  b = add_block (self, BLOCK_IMAGES, NULL);
  b->images = g_ptr_array_new_with_free_func ((GDestroyNotify) cairo_surface_destroy);
  b->captions = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < n_images; i++)
    {
      g_ptr_array_add (b->images, cairo_surface_reference (images[i]));
      g_ptr_array_add (b->captions, g_strdup (captions != NULL ? captions[i] : NULL));
    }
  b->height = height;
}

void
derm_document_add_drawing (DermDocument        *self,
                           double               height,
                           DermDocumentDrawFunc func,
                           gpointer             user_data,
                           GDestroyNotify       destroy)
{
  Block *b;

  g_return_if_fail (DERM_IS_DOCUMENT (self));
  g_return_if_fail (func != NULL && height > 0);

  b = add_block (self, BLOCK_DRAWING, NULL);
  b->height = height;
  b->func = func;
  b->user_data = user_data;
  b->destroy = destroy;
}

void
derm_document_add_page_break (DermDocument *self)
{
  g_return_if_fail (DERM_IS_DOCUMENT (self));
  add_block (self, BLOCK_PAGE_BREAK, NULL);
}

/* --- layout ------------------------------------------------------------ */

static PangoLayout *
new_layout (DermDocument *self,
            const char   *font,
            const char   *text,
            double        width)
{
  PangoLayout *layout = pango_layout_new (self->context);
  g_autoptr (PangoFontDescription) desc = pango_font_description_from_string (font);

  pango_layout_set_font_description (layout, desc);
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_width (layout, pango_units_from_double (width));
  pango_layout_set_text (layout, text, -1);
  return layout;
}

static double
layout_height (PangoLayout *layout)
{
  int w, h;

  pango_layout_get_size (layout, &w, &h);
  return pango_units_to_double (h);
}

static void
measure_block (DermDocument *self,
               Block        *b,
               double        text_width)
{
  block_clear_layout (b);
  switch (b->kind)
    {
    case BLOCK_TITLE:
      b->layout = new_layout (self, DERM_DOCUMENT_FONT " Bold 17", b->text, text_width);
      b->measured = layout_height (b->layout) + 4;
      break;
    case BLOCK_HEADING:
      b->layout = new_layout (self, DERM_DOCUMENT_FONT " Bold 12", b->text, text_width);
      b->measured = layout_height (b->layout) + 6;
      break;
    case BLOCK_PARAGRAPH:
      b->layout = new_layout (self, DERM_DOCUMENT_FONT " 10", b->text, text_width);
      pango_layout_set_spacing (b->layout, pango_units_from_double (1.5));
      b->measured = layout_height (b->layout);
      break;
    case BLOCK_NOTE:
      b->layout = new_layout (self, DERM_DOCUMENT_FONT " 7.5", b->text, text_width);
      b->measured = layout_height (b->layout);
      break;
    case BLOCK_FIELD:
      b->layout = new_layout (self, DERM_DOCUMENT_FONT " Bold 10", b->text, text_width * 0.3 - 8);
      b->value_layout = new_layout (self, DERM_DOCUMENT_FONT " 10", b->value, text_width * 0.7);
      b->measured = MAX (layout_height (b->layout), layout_height (b->value_layout));
      break;
    case BLOCK_IMAGES:
      {
        double cell = (text_width - IMAGE_GAP * (b->images->len - 1)) / b->images->len;
        double captions = 0;

        b->caption_layouts = g_ptr_array_new_with_free_func (g_object_unref);
        for (guint i = 0; i < b->images->len; i++)
          {
            const char *caption = g_ptr_array_index (b->captions, i);
            PangoLayout *layout = new_layout (self, DERM_DOCUMENT_FONT " 8", caption != NULL ? caption : "", cell);

            pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
            g_ptr_array_add (b->caption_layouts, layout);
            if (caption != NULL)
              captions = MAX (captions, layout_height (layout) + 3);
          }
        b->measured = b->height + captions;
      }
      break;
    case BLOCK_DRAWING:
      b->measured = b->height;
      break;
    case BLOCK_PAGE_BREAK:
    default:
      b->measured = 0;
      break;
    }
}

static double
gap_after (Block *b,
           Block *next)
{
  if (next == NULL)
    return 0;
  if (b->kind == BLOCK_FIELD && next->kind == BLOCK_FIELD)
    return FIELD_GAP;
  if (b->kind == BLOCK_HEADING)
    return 0;
  if (next->kind == BLOCK_HEADING)
    return BLOCK_GAP * 2.5;
  return BLOCK_GAP * 1.5;
}

/* The y (layout units, points) of the bottom of each line */
static GArray *
line_bottoms (PangoLayout *layout)
{
  GArray *bottoms = g_array_new (FALSE, FALSE, sizeof (double));
  PangoLayoutIter *iter = pango_layout_get_iter (layout);

  do
    {
      int y0, y1;
      double bottom;

      pango_layout_iter_get_line_yrange (iter, &y0, &y1);
      bottom = pango_units_to_double (y1);
      g_array_append_val (bottoms, bottom);
    }
  while (pango_layout_iter_next_line (iter));
  pango_layout_iter_free (iter);
  return bottoms;
}

guint
derm_document_paginate (DermDocument *self,
                        double        width,
                        double        height)
{
  cairo_font_options_t *options;
  double text_width = width - 2 * MARGIN_X;
  double top = MARGIN_TOP + HEADER_HEIGHT;
  double bottom = height - MARGIN_BOTTOM - FOOTER_HEIGHT;
  double y = top;
  guint page = 0;

  g_return_val_if_fail (DERM_IS_DOCUMENT (self), 0);

  self->width = width;
  self->height = height;
  g_clear_object (&self->context);
  self->context = pango_font_map_create_context (pango_cairo_font_map_get_default ());
  pango_cairo_context_set_resolution (self->context, 72);
  options = cairo_font_options_create ();
  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_NONE);
  pango_cairo_context_set_font_options (self->context, options);
  cairo_font_options_destroy (options);
  pango_context_set_round_glyph_positions (self->context, FALSE);

  g_clear_object (&self->header_name);
  g_clear_object (&self->header_contact);
  self->header_name = new_layout (self, DERM_DOCUMENT_FONT " Bold 13", self->clinic_name, text_width - LOGO_MAX_W);
  self->header_contact = new_layout (self, DERM_DOCUMENT_FONT " 8.5", self->contact, text_width - LOGO_MAX_W);
  pango_layout_set_alignment (self->header_name, PANGO_ALIGN_RIGHT);
  pango_layout_set_alignment (self->header_contact, PANGO_ALIGN_RIGHT);

  g_array_set_size (self->placements, 0);
  for (guint i = 0; i < self->blocks->len; i++)
    measure_block (self, g_ptr_array_index (self->blocks, i), text_width);

  for (guint i = 0; i < self->blocks->len; i++)
    {
      Block *b = g_ptr_array_index (self->blocks, i);
      Block *next = i + 1 < self->blocks->len ? g_ptr_array_index (self->blocks, i + 1) : NULL;
      double need = b->measured;

      if (b->kind == BLOCK_PAGE_BREAK)
        {
          if (y > top)
            {
              page++;
              y = top;
            }
          continue;
        }
      /* A heading stays with (the start of) what it heads */
      if (b->kind == BLOCK_HEADING && next != NULL && next->kind != BLOCK_PAGE_BREAK)
        need += MIN (next->measured, 40.0);

      if (b->kind == BLOCK_PARAGRAPH || b->kind == BLOCK_NOTE)
        {
          g_autoptr (GArray) bottoms = line_bottoms (b->layout);
          double shown = 0;   /* layout y already placed */
          guint line = 0;

          while (line < bottoms->len)
            {
              guint last = line;
              Placement p = { b, page, y, shown, shown };

              while (last < bottoms->len && g_array_index (bottoms, double, last) - shown <= bottom - y)
                last++;
              if (last == line)
                {
                  if (y == top)   /* a line taller than a page: show it clipped */
                    last = line + 1;
                  else
                    {
                      page++;
                      y = top;
                      continue;
                    }
                }
              p.clip_bottom = g_array_index (bottoms, double, last - 1);
              g_array_append_val (self->placements, p);
              y += p.clip_bottom - shown;
              shown = p.clip_bottom;
              line = last;
              if (line < bottoms->len)
                {
                  page++;
                  y = top;
                }
            }
        }
      else
        {
          Placement p = { b, page, y, 0, b->measured };

          if (y + need > bottom && y > top)
            {
              page++;
              y = top;
            }
          p.page = page;
          p.y = y;
          g_array_append_val (self->placements, p);
          y += b->measured;
        }
      if (next != NULL)
        y += gap_after (b, next);
    }
  self->n_pages = page + 1;
  return self->n_pages;
}

guint
derm_document_get_n_pages (DermDocument *self)
{
  g_return_val_if_fail (DERM_IS_DOCUMENT (self), 0);
  return self->n_pages;
}

/* --- drawing ----------------------------------------------------------- */

static void
show_layout (cairo_t     *cr,
             PangoLayout *layout,
             double       x,
             double       y)
{
  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);
}

static void
draw_header (DermDocument *self,
             cairo_t      *cr)
{
  double text_width = self->width - 2 * MARGIN_X;
  double right_x = MARGIN_X + LOGO_MAX_W;
  double name_h;

  if (self->logo != NULL)
    {
      double w = cairo_image_surface_get_width (self->logo);
      double h = cairo_image_surface_get_height (self->logo);
      double scale = MIN (LOGO_MAX_W / w, LOGO_MAX_H / h);

      cairo_save (cr);
      cairo_translate (cr, MARGIN_X, MARGIN_TOP);
      cairo_scale (cr, scale, scale);
      cairo_set_source_surface (cr, self->logo, 0, 0);
      cairo_pattern_set_filter (cairo_get_source (cr), CAIRO_FILTER_GOOD);
      cairo_paint (cr);
      cairo_restore (cr);
    }
  cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
  show_layout (cr, self->header_name, right_x, MARGIN_TOP);
  name_h = layout_height (self->header_name);
  cairo_set_source_rgb (cr, 0.35, 0.35, 0.35);
  show_layout (cr, self->header_contact, right_x, MARGIN_TOP + name_h + 2);

  cairo_set_source_rgb (cr, 0.75, 0.75, 0.75);
  cairo_set_line_width (cr, 0.75);
  cairo_move_to (cr, MARGIN_X, MARGIN_TOP + HEADER_HEIGHT - 10);
  cairo_line_to (cr, MARGIN_X + text_width, MARGIN_TOP + HEADER_HEIGHT - 10);
  cairo_stroke (cr);
}

static void
draw_footer (DermDocument *self,
             cairo_t      *cr,
             guint         page)
{
  double text_width = self->width - 2 * MARGIN_X;
  double y = self->height - MARGIN_BOTTOM - FOOTER_HEIGHT + 10;
  g_autofree char *left = *self->date != '\0' ? g_strdup_printf ("%s · %s", self->title, self->date)
                                              : g_strdup (self->title);
  g_autofree char *right = g_strdup_printf (_("Page %u of %u"), page + 1, self->n_pages);
  g_autoptr (PangoLayout) l = new_layout (self, DERM_DOCUMENT_FONT " 7.5", left, text_width * 0.75);
  g_autoptr (PangoLayout) r = new_layout (self, DERM_DOCUMENT_FONT " 7.5", right, text_width * 0.25);

  pango_layout_set_alignment (r, PANGO_ALIGN_RIGHT);
  cairo_set_source_rgb (cr, 0.4, 0.4, 0.4);
  show_layout (cr, l, MARGIN_X, y);
  show_layout (cr, r, MARGIN_X + text_width * 0.75, y);
}

static void
draw_block (DermDocument    *self,
            cairo_t         *cr,
            const Placement *p)
{
  Block *b = p->block;
  double text_width = self->width - 2 * MARGIN_X;

  cairo_save (cr);
  switch (b->kind)
    {
    case BLOCK_TITLE:
    case BLOCK_HEADING:
      cairo_set_source_rgb (cr, 0.05, 0.05, 0.05);
      show_layout (cr, b->layout, MARGIN_X, p->y);
      break;
    case BLOCK_PARAGRAPH:
    case BLOCK_NOTE:
      cairo_rectangle (cr, 0, p->y, self->width, p->clip_bottom - p->clip_top);
      cairo_clip (cr);
      if (b->kind == BLOCK_NOTE)
        cairo_set_source_rgb (cr, 0.35, 0.35, 0.35);
      else
        cairo_set_source_rgb (cr, 0.05, 0.05, 0.05);
      show_layout (cr, b->layout, MARGIN_X, p->y - p->clip_top);
      break;
    case BLOCK_FIELD:
      cairo_set_source_rgb (cr, 0.3, 0.3, 0.3);
      show_layout (cr, b->layout, MARGIN_X, p->y);
      cairo_set_source_rgb (cr, 0.05, 0.05, 0.05);
      show_layout (cr, b->value_layout, MARGIN_X + text_width * 0.3, p->y);
      break;
    case BLOCK_IMAGES:
      {
        guint n = b->images->len;
        double cell = (text_width - IMAGE_GAP * (n - 1)) / n;

        for (guint i = 0; i < n; i++)
          {
            cairo_surface_t *image = g_ptr_array_index (b->images, i);
            double iw = cairo_image_surface_get_width (image);
            double ih = cairo_image_surface_get_height (image);
            double scale = MIN (cell / iw, b->height / ih);
            double x = MARGIN_X + i * (cell + IMAGE_GAP);

            cairo_save (cr);
            cairo_translate (cr, x + (cell - iw * scale) / 2, p->y + (b->height - ih * scale) / 2);
            cairo_scale (cr, scale, scale);
            cairo_set_source_surface (cr, image, 0, 0);
            cairo_pattern_set_filter (cairo_get_source (cr), CAIRO_FILTER_GOOD);
            cairo_paint (cr);
            cairo_restore (cr);
            cairo_set_source_rgb (cr, 0.2, 0.2, 0.2);
            show_layout (cr, g_ptr_array_index (b->caption_layouts, i), x, p->y + b->height + 3);
          }
      }
      break;
    case BLOCK_DRAWING:
      cairo_translate (cr, MARGIN_X, p->y);
      cairo_rectangle (cr, 0, 0, text_width, b->height);
      cairo_clip (cr);
      b->func (cr, text_width, b->height, b->user_data);
      break;
    case BLOCK_PAGE_BREAK:
    default:
      break;
    }
  cairo_restore (cr);
}

void
derm_document_draw_page (DermDocument *self,
                         cairo_t      *cr,
                         guint         page)
{
  g_return_if_fail (DERM_IS_DOCUMENT (self));
  g_return_if_fail (self->context != NULL);

  cairo_save (cr);
  draw_header (self, cr);
  for (guint i = 0; i < self->placements->len; i++)
    {
      const Placement *p = &g_array_index (self->placements, Placement, i);

      if (p->page == page)
        draw_block (self, cr, p);
    }
  draw_footer (self, cr, page);
  cairo_restore (cr);
}

static cairo_status_t
write_to_array (void                *closure,
                const unsigned char *data,
                unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

GBytes *
derm_document_to_pdf (DermDocument *self,
                      DermPaper     paper,
                      GError      **error)
{
  g_autoptr (GByteArray) bytes = g_byte_array_new ();
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;
  double width, height;
  guint n_pages;

  g_return_val_if_fail (DERM_IS_DOCUMENT (self), NULL);

  derm_paper_get_size (paper, &width, &height);
  n_pages = derm_document_paginate (self, width, height);
  surface = cairo_pdf_surface_create_for_stream (write_to_array, bytes, width, height);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, self->title);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, PACKAGE_NAME " " PACKAGE_VERSION);
  cr = cairo_create (surface);
  for (guint page = 0; page < n_pages; page++)
    {
      derm_document_draw_page (self, cr, page);
      cairo_show_page (cr);
    }
  status = cairo_status (cr);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, DERM_DOCUMENT_ERROR, DERM_DOCUMENT_ERROR_RENDER,
                   _("The document could not be drawn: %s"), cairo_status_to_string (status));
      return NULL;
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&bytes));
}

gboolean
derm_document_write_pdf (DermDocument *self,
                         DermPaper     paper,
                         const char   *dest,
                         const char   *data_dir,
                         gboolean      overwrite,
                         GError      **error)
{
  g_autoptr (DermExportFile) file = NULL;
  g_autoptr (GBytes) pdf = NULL;
  gsize size;
  gconstpointer data;

  g_return_val_if_fail (DERM_IS_DOCUMENT (self), FALSE);
  g_return_val_if_fail (dest != NULL, FALSE);

  /* A refused destination is refused before any page is laid out */
  file = derm_export_file_begin (dest, data_dir, overwrite, error);
  if (file == NULL)
    return FALSE;
  pdf = derm_document_to_pdf (self, paper, error);
  if (pdf == NULL)
    return FALSE;
  data = g_bytes_get_data (pdf, &size);
  return derm_export_file_finish (g_steal_pointer (&file), data, size, error);
}
