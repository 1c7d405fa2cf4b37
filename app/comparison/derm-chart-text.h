/* derm-chart-text.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Text on the charts and exports drawn with cairo (trend chart, comparison
 * PNG), through Pango: shaped for every script the translations use, with
 * the user's font and text size when a widget's PangoContext is given.
 */
#pragma once

#include <cairo.h>
#include <glib.h>
#include <pango/pangocairo.h>

G_BEGIN_DECLS

/* Sizes are given in "design pixels" (what the layout was drawn for at a
 * 12.5 px base font); @scale turns them into the context's text size. */
#define DERM_CHART_TEXT_BASE_PX 12.5

typedef struct
{
  cairo_t      *cr;
  PangoContext *context;   /* owned */
  char         *family;
  double        scale;     /* context's base font in pixels / DERM_CHART_TEXT_BASE_PX */
} DermChartText;

/* @context: a widget's PangoContext (its font, resolution and text scaling),
 * or NULL for exports: "Sans" at the design sizes. */
void    derm_chart_text_init  (DermChartText *text,
                               cairo_t       *cr,
                               PangoContext  *context);
void    derm_chart_text_clear (DermChartText *text);
/* The text scale @context gives (1.0 for NULL) */
double  derm_chart_text_scale_for (PangoContext *context);
/* Draws @str with its baseline at @y; @align 0 left, 0.5 centre, 1 right of @x.
 * Returns the drawn width in user units. */
double  derm_chart_text_show  (DermChartText *text,
                               double         x,
                               double         y,
                               double         align,
                               double         size_px,
                               const char    *str);
double  derm_chart_text_width (DermChartText *text,
                               double         size_px,
                               const char    *str);

G_END_DECLS
