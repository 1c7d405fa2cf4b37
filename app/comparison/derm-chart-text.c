/* derm-chart-text.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "derm-chart-text"

#include "config.h"

#include "derm-chart-text.h"

static double
base_px (PangoContext *context)
{
  const PangoFontDescription *desc;
  double size, dpi;

  if (context == NULL)
    return DERM_CHART_TEXT_BASE_PX;
  desc = pango_context_get_font_description (context);
  if (desc == NULL || pango_font_description_get_size (desc) <= 0)
    return DERM_CHART_TEXT_BASE_PX;
  size = (double) pango_font_description_get_size (desc) / PANGO_SCALE;
  if (pango_font_description_get_size_is_absolute (desc))
    return size;
  dpi = pango_cairo_context_get_resolution (context);
  return size * (dpi > 0 ? dpi : 96.0) / 72.0;
}

double
derm_chart_text_scale_for (PangoContext *context)
{
  /* A base font from 0.5x to 4x the design size: beyond that the chart
   * would have no room for its plot */
  return CLAMP (base_px (context) / DERM_CHART_TEXT_BASE_PX, 0.5, 4.0);
}

void
derm_chart_text_init (DermChartText *text,
                      cairo_t       *cr,
                      PangoContext  *context)
{
  const PangoFontDescription *desc = context != NULL ? pango_context_get_font_description (context) : NULL;
  const char *family = desc != NULL ? pango_font_description_get_family (desc) : NULL;

  g_return_if_fail (text != NULL && cr != NULL);

  text->cr = cr;
  text->scale = derm_chart_text_scale_for (context);
  text->family = g_strdup (family != NULL ? family : "Sans");
  if (context != NULL)
    text->context = g_object_ref (context);
  else
    {
      /* Exports: resolution 96 and no hinting, so a PNG or SVG looks the
       * same on every machine that has the font */
      cairo_font_options_t *options = cairo_font_options_create ();

      text->context = pango_cairo_create_context (cr);
      pango_cairo_context_set_resolution (text->context, 96.0);
      cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
      pango_cairo_context_set_font_options (text->context, options);
      cairo_font_options_destroy (options);
    }
}

void
derm_chart_text_clear (DermChartText *text)
{
  g_clear_object (&text->context);
  g_clear_pointer (&text->family, g_free);
}

static PangoLayout *
layout_for (DermChartText *text,
            double         size_px,
            const char    *str)
{
  PangoLayout *layout = pango_layout_new (text->context);
  PangoFontDescription *desc = pango_font_description_new ();

  pango_font_description_set_family (desc, text->family);
  pango_font_description_set_absolute_size (desc, size_px * text->scale * PANGO_SCALE);
  pango_layout_set_font_description (layout, desc);
  pango_font_description_free (desc);
  pango_layout_set_text (layout, str != NULL ? str : "", -1);
  pango_cairo_update_layout (text->cr, layout);
  return layout;
}

double
derm_chart_text_width (DermChartText *text,
                       double         size_px,
                       const char    *str)
{
  PangoLayout *layout = layout_for (text, size_px, str);
  PangoRectangle logical;

  pango_layout_get_extents (layout, NULL, &logical);
  g_object_unref (layout);
  return (double) logical.width / PANGO_SCALE;
}

double
derm_chart_text_show (DermChartText *text,
                      double         x,
                      double         y,
                      double         align,
                      double         size_px,
                      const char    *str)
{
  PangoLayout *layout = layout_for (text, size_px, str);
  PangoRectangle logical;
  double w, baseline;

  pango_layout_get_extents (layout, NULL, &logical);
  w = (double) logical.width / PANGO_SCALE;
  baseline = (double) pango_layout_get_baseline (layout) / PANGO_SCALE;
  cairo_move_to (text->cr, x - align * w, y - baseline);
  pango_cairo_show_layout (text->cr, layout);
  g_object_unref (layout);
  return w;
}
