/* derm-document.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A printed document (aftercare sheet, progress report): a list of
 * blocks (headings, paragraphs, label/value fields, rows of images,
 * drawings) laid out with Pango onto pages of a given size, under the
 * clinic's letterhead (logo, name, contact line) and over a footer with
 * the title, the date and "Page N of M". The same layout is written to
 * a PDF with cairo and drawn on the pages of a GtkPrintOperation, so
 * what is previewed is what is saved. No widgets here.
 *
 * Every length is in PostScript points (1/72 inch).
 */
#pragma once

#include <cairo.h>
#include <glib-object.h>

#include "derm-store-documents.h"

G_BEGIN_DECLS

#define DERM_DOCUMENT_ERROR (derm_document_error_quark ())
GQuark derm_document_error_quark (void);

typedef enum
{
  DERM_DOCUMENT_ERROR_RENDER,  /* cairo failed to draw or write the PDF */
} DermDocumentError;

/* The font every document uses (fonts-dejavu-core), so a page renders
 * the same on every machine */
#define DERM_DOCUMENT_FONT "DejaVu Sans"

/* Draws a drawing block into the box (0, 0, width, height) of @cr */
typedef void (*DermDocumentDrawFunc) (cairo_t  *cr,
                                      double    width,
                                      double    height,
                                      gpointer  user_data);

#define DERM_TYPE_DOCUMENT (derm_document_get_type ())
G_DECLARE_FINAL_TYPE (DermDocument, derm_document, DERM, DOCUMENT, GObject)

/* Width and height of @paper in points (A4 595.28 x 841.89, Letter 612 x 792) */
void          derm_paper_get_size             (DermPaper      paper,
                                               double        *width,
                                               double        *height);

/* @date is printed in the footer as given (the caller chooses the day,
 * so documents do not depend on the clock) */
DermDocument *derm_document_new               (const char    *title,
                                               const char    *date);
const char   *derm_document_get_title         (DermDocument  *self);

/* The letterhead printed at the top of every page. @logo_png may be
 * NULL; otherwise it must decode (FALSE with DERM_VALIDATION_ERROR,
 * nothing changed: a bad logo is bad input). */
gboolean      derm_document_set_letterhead    (DermDocument  *self,
                                               const char    *clinic_name,
                                               const char    *contact,
                                               GBytes        *logo_png,
                                               GError       **error);
/* Checks that @logo_png decodes as a PNG of at most 4096 x 4096 pixels */
gboolean      derm_document_check_logo        (GBytes        *logo_png,
                                               GError       **error);
/* The letterhead saved in @store */
gboolean      derm_document_load_letterhead   (DermDocument  *self,
                                               DermStore     *store,
                                               GError       **error);

/* --- content, in reading order ---------------------------------------- */

void          derm_document_add_heading       (DermDocument  *self,
                                               const char    *text);
/* Plain text (no markup); blank lines separate paragraphs */
void          derm_document_add_paragraph     (DermDocument  *self,
                                               const char    *text);
/* Smaller, grey text: notes, settings, footnotes */
void          derm_document_add_note          (DermDocument  *self,
                                               const char    *text);
/* One label/value line of a two-column table; consecutive fields form
 * one table. A NULL or empty value prints "—". */
void          derm_document_add_field         (DermDocument  *self,
                                               const char    *label,
                                               const char    *value);
/* A row of @n_images images side by side, each scaled to fit @height (and
 * its share of the width) keeping its aspect, with a caption under each
 * (NULL for none). The document keeps a reference to each surface. */
void          derm_document_add_images        (DermDocument     *self,
                                               cairo_surface_t **images,
                                               const char      **captions,
                                               guint             n_images,
                                               double            height);
/* A block of the full text width and @height drawn by @func */
void          derm_document_add_drawing       (DermDocument        *self,
                                               double               height,
                                               DermDocumentDrawFunc func,
                                               gpointer             user_data,
                                               GDestroyNotify       destroy);
/* Starts the next block on a new page */
void          derm_document_add_page_break    (DermDocument  *self);

/* --- output ------------------------------------------------------------ */

/* Lays the blocks out on pages of @width x @height points; returns the
 * number of pages (at least 1) */
guint         derm_document_paginate          (DermDocument  *self,
                                               double         width,
                                               double         height);
/* The number of pages of the last layout (0 before any) */
guint         derm_document_get_n_pages       (DermDocument  *self);
/* Draws page @page (from 0) of the last layout onto @cr, whose user
 * space is in points with the origin at the page's top left corner */
void          derm_document_draw_page         (DermDocument  *self,
                                               cairo_t       *cr,
                                               guint          page);
/* Checks @dest first (never over an existing file unless @overwrite, never
 * inside @data_dir: nothing is laid out when it is refused), then lays out
 * for @paper and writes the PDF through derm_export_file */
gboolean      derm_document_write_pdf         (DermDocument  *self,
                                               DermPaper      paper,
                                               const char    *dest,
                                               const char    *data_dir,
                                               gboolean       overwrite,
                                               GError       **error);
/* The PDF's bytes, for tests and previews */
GBytes       *derm_document_to_pdf            (DermDocument  *self,
                                               DermPaper      paper,
                                               GError       **error);

G_END_DECLS
