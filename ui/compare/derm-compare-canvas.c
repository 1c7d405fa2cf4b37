/* derm-compare-canvas.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * All geometry is kept in before-photo pixels (the frame the aligned after
 * photo, the regions and the maps share): the view is a zoom relative to
 * the fit and the before pixel at the centre of each pane, so both panes
 * of side by side, and the two halves of the wipe, always show the same
 * place. The after photo as taken is drawn scaled to the before photo's
 * width, so it follows the same zoom and pan.
 *
 * Textures come from DermComparison's cached RGBA copies; the pyramid for
 * the full images is made in a worker, the reduced decode's single level
 * on the main thread as soon as it is there (it is small).
 */

#define G_LOG_DOMAIN "derm-compare-canvas"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>
#include <pango/pangocairo.h>

#include "derm-compare-canvas.h"

G_DEFINE_ENUM_TYPE (DermCompareMode, derm_compare_mode,
                    G_DEFINE_ENUM_VALUE (DERM_COMPARE_MODE_SIDE_BY_SIDE, "side-by-side"),
                    G_DEFINE_ENUM_VALUE (DERM_COMPARE_MODE_WIPE, "wipe"),
                    G_DEFINE_ENUM_VALUE (DERM_COMPARE_MODE_BLEND, "blend"),
                    G_DEFINE_ENUM_VALUE (DERM_COMPARE_MODE_HEATMAP, "heatmap"))

G_DEFINE_ENUM_TYPE (DermCompareTool, derm_compare_tool,
                    G_DEFINE_ENUM_VALUE (DERM_COMPARE_TOOL_PAN, "pan"),
                    G_DEFINE_ENUM_VALUE (DERM_COMPARE_TOOL_RECT, "rect"),
                    G_DEFINE_ENUM_VALUE (DERM_COMPARE_TOOL_POLYGON, "polygon"),
                    G_DEFINE_ENUM_VALUE (DERM_COMPARE_TOOL_WB_PATCH, "wb-patch"),
                    G_DEFINE_ENUM_VALUE (DERM_COMPARE_TOOL_POINTS, "points"),
                    G_DEFINE_ENUM_VALUE (DERM_COMPARE_TOOL_CHART, "chart-corners"))

#define N_LEVELS      4      /* full, 1/2, 1/4, 1/8 */
#define MIN_LEVEL     256    /* no level whose longer side is below this */
#define PANE_GAP      4.0
#define MAX_SCREEN_PX 8.0    /* zoom stops at 8 screen pixels per photo pixel */
#define N_IMAGES      3      /* DermComparisonImage */
#define MAX_POINTS    4

#define TILE_SIZE 512

#define TILE_MARGIN 4

/* A level is cut into tiles that share its pixels (no copy), so a frame
 * only hands the renderer the tiles it can see: zoomed into a 24 MP
 * photo that is a few hundred kilobytes, not the whole level. Each tile's
 * texture reaches TILE_MARGIN pixels into its right and bottom
 * neighbours, which are drawn after it: their antialiased edges then lie
 * over its solid pixels (the chosen level is never drawn below half a
 * screen pixel per level pixel, so that is at least two screen pixels)
 * and no background shows through a seam. */
typedef struct
{
  GdkTexture *texture;
  int         x, y, width, height;   /* the tile's own square, level pixels */
} Tile;

typedef struct
{
  GPtrArray *tiles;   /* Tile */
  int        width, height;
  double     scale;   /* level pixels per full-resolution pixel */
} Level;

typedef struct
{
  Level    levels[N_LEVELS];   /* largest first */
  guint    n_levels;
  gboolean full;               /* made from the full images */
  double   h[9];               /* the alignment it was warped with (aligned only) */
} Pyramid;

typedef struct
{
  graphene_rect_t rect;
  double          s;    /* screen pixels per before-photo pixel */
} Pane;

struct _DermCompareCanvas
{
  GtkWidget          parent_instance;

  DermComparison    *comparison;
  GCancellable      *cancellable;      /* pyramid builds of this comparison */
  Pyramid            pyramids[N_IMAGES];
  gboolean           building_full;
  gboolean           building_aligned;
  char              *labels[2];

  DermCompareMode    mode;
  double             wipe;
  double             opacity;
  gboolean           show_unaligned;
  DermCompareTool    tool;
  double             zoom;
  double             cx, cy;
  gboolean           centered;         /* the centre was set for this photo */
  double             drawn_level_scale;

  DermComparisonMap *map;
  GdkTexture        *map_texture;
  char              *map_status;
  DermRegion        *selected_region;

  /* Interaction */
  gboolean           dragging_divider;
  gboolean           panning;
  gboolean           rubber;
  double             drag_x, drag_y;   /* where the drag began, widget */
  double             drag_cx, drag_cy;
  double             rub[4];           /* x0, y0, x1, y1 in before pixels */
  GArray            *polygon;          /* double pairs, before pixels */
  gboolean           hover_valid;
  double             hover_x, hover_y; /* widget */
  GArray            *points[2];        /* before, after: double pairs */
  double             zoom_at_gesture;
};

G_DEFINE_FINAL_TYPE (DermCompareCanvas, derm_compare_canvas, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_COMPARISON,
  PROP_MODE,
  PROP_WIPE_POSITION,
  PROP_OPACITY,
  PROP_SHOW_UNALIGNED,
  PROP_TOOL,
  PROP_ZOOM,
  N_PROPS
};

enum
{
  REGION_DRAWN,
  PATCH_MARKED,
  CHART_MARKED,
  POINTS_CHANGED,
  REGION_ACTIVATED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* Marker colours of manual points 1-4, the same on both photos */
static const GdkRGBA point_colours[MAX_POINTS] = {
  { 0.88, 0.11, 0.14, 1 }, { 0.20, 0.82, 0.48, 1 }, { 0.21, 0.52, 0.89, 1 }, { 0.96, 0.83, 0.18, 1 },
};

/* ------------------------------------------------------------ pyramids */

static void
pyramid_clear (Pyramid *pyramid)
{
  for (guint i = 0; i < pyramid->n_levels; i++)
    g_clear_pointer (&pyramid->levels[i].tiles, g_ptr_array_unref);
  pyramid->n_levels = 0;
  pyramid->full = FALSE;
}

static GdkTexture *
texture_from_bytes (GBytes *bytes,
                    int     width,
                    int     height,
                    gsize   stride)
{
  /* Straight alpha, as DermComparison hands them out */
  return gdk_memory_texture_new (width, height, GDK_MEMORY_R8G8B8A8, bytes, stride);
}

static void
tile_free (gpointer data)
{
  Tile *tile = data;

  g_object_unref (tile->texture);
  g_free (tile);
}

static void
level_init (Level  *level,
            GBytes *bytes,
            int     width,
            int     height,
            gsize   stride,
            double  scale)
{
  level->tiles = g_ptr_array_new_with_free_func (tile_free);
  level->width = width;
  level->height = height;
  level->scale = scale;
  for (int y = 0; y < height; y += TILE_SIZE)
    for (int x = 0; x < width; x += TILE_SIZE)
      {
        Tile *tile = g_new0 (Tile, 1);
        int x1, y1;
        gsize offset, length;
        g_autoptr (GBytes) part = NULL;

        tile->x = x;
        tile->y = y;
        x1 = MIN (width, x + TILE_SIZE + TILE_MARGIN);
        y1 = MIN (height, y + TILE_SIZE + TILE_MARGIN);
        tile->width = x1 - x;
        tile->height = y1 - y;
        offset = (gsize) y * stride + (gsize) x * 4;
        length = (gsize) (tile->height - 1) * stride + (gsize) tile->width * 4;
        part = g_bytes_new_from_bytes (bytes, offset, length);
        tile->texture = texture_from_bytes (part, tile->width, tile->height, stride);
        g_ptr_array_add (level->tiles, tile);
      }
}

typedef struct
{
  DermComparisonImage which;
  GBytes             *bytes;
  int                 width, height;
  gsize               stride;
  double              scale;
} LevelData;

static void
level_data_free (gpointer data)
{
  LevelData *level = data;

  g_bytes_unref (level->bytes);
  g_free (level);
}

typedef struct
{
  DermComparison     *comparison;
  DermComparisonImage which[2];
  guint               n_which;
  double              h[9];
} BuildData;

static void
build_data_free (gpointer data)
{
  BuildData *d = data;

  g_object_unref (d->comparison);
  g_free (d);
}

static void
build_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  BuildData *d = task_data;
  g_autoptr (GPtrArray) levels = g_ptr_array_new_with_free_func (level_data_free);

  for (guint i = 0; i < d->n_which; i++)
    {
      int full_w = 0, full_h = 0, side;

      derm_comparison_get_image_size (d->comparison, d->which[i], &full_w, &full_h);
      side = MAX (full_w, full_h);
      for (guint k = 0; k < N_LEVELS; k++)
        {
          LevelData *level;
          int max_side = k == 0 ? 0 : side >> k;

          if (k > 0 && max_side < MIN_LEVEL)
            break;
          if (g_task_return_error_if_cancelled (task))
            return;
          level = g_new0 (LevelData, 1);
          level->which = d->which[i];
          level->bytes = derm_comparison_dup_rgba (d->comparison, d->which[i], max_side, &level->width,
                                                   &level->height, &level->stride, &level->scale);
          if (level->bytes == NULL)
            {
              level_data_free (level);
              break;
            }
          g_ptr_array_add (levels, level);
        }
    }
  g_task_return_pointer (task, g_steal_pointer (&levels), (GDestroyNotify) g_ptr_array_unref);
}

static void
install_levels (DermCompareCanvas *self,
                GPtrArray         *levels,
                const BuildData   *d)
{
  for (guint i = 0; i < d->n_which; i++)
    {
      Pyramid *pyramid = &self->pyramids[d->which[i]];

      pyramid_clear (pyramid);
      memcpy (pyramid->h, d->h, sizeof pyramid->h);
      for (guint j = 0; j < levels->len; j++)
        {
          LevelData *level = g_ptr_array_index (levels, j);

          if (level->which != d->which[i] || pyramid->n_levels == N_LEVELS)
            continue;
          level_init (&pyramid->levels[pyramid->n_levels], level->bytes, level->width, level->height,
                      level->stride, level->scale);
          pyramid->n_levels++;
        }
      pyramid->full = pyramid->n_levels > 0;
    }
}

static void sync_from_state (DermCompareCanvas *self);

static void
build_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr (DermCompareCanvas) self = user_data;
  GTask *task = G_TASK (result);
  BuildData *d = g_task_get_task_data (task);
  g_autoptr (GPtrArray) levels = NULL;
  g_autoptr (GError) error = NULL;
  gboolean aligned = d->which[0] == DERM_COMPARISON_IMAGE_AFTER_ALIGNED;

  levels = g_task_propagate_pointer (task, &error);
  if (levels == NULL)
    return;   /* cancelled: the comparison changed or the canvas went */
  if (aligned)
    self->building_aligned = FALSE;
  else
    self->building_full = FALSE;
  if (d->comparison != self->comparison)
    return;
  install_levels (self, levels, d);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  /* The state may have moved on while this was made */
  sync_from_state (self);
}

static void
start_build (DermCompareCanvas   *self,
             DermComparisonImage  first,
             DermComparisonImage  second,
             guint                n_which,
             const double        *h)
{
  g_autoptr (GTask) task = NULL;
  BuildData *d = g_new0 (BuildData, 1);

  d->comparison = g_object_ref (self->comparison);
  d->which[0] = first;
  d->which[1] = second;
  d->n_which = n_which;
  if (h != NULL)
    memcpy (d->h, h, sizeof d->h);
  task = g_task_new (NULL, self->cancellable, build_done, g_object_ref (self));
  g_task_set_source_tag (task, start_build);
  g_task_set_task_data (task, d, build_data_free);
  g_task_run_in_thread (task, build_thread);
}

/* The reduced decodes: one small level each, at once */
static void
install_preview (DermCompareCanvas   *self,
                 DermComparisonImage  which)
{
  Pyramid *pyramid = &self->pyramids[which];
  g_autoptr (GBytes) bytes = NULL;
  int w, h;
  gsize stride;
  double scale;

  bytes = derm_comparison_dup_rgba (self->comparison, which, 0, &w, &h, &stride, &scale);
  if (bytes == NULL)
    return;
  pyramid_clear (pyramid);
  level_init (&pyramid->levels[0], bytes, w, h, stride, scale);
  pyramid->n_levels = 1;
}

static gboolean
is_aligned_state (DermComparisonState state)
{
  return state == DERM_COMPARISON_STATE_ALIGNED || state == DERM_COMPARISON_STATE_MANUAL;
}

static void
sync_from_state (DermCompareCanvas *self)
{
  DermComparisonState state;
  DermAlignmentResult alignment;

  if (self->comparison == NULL)
    return;
  state = derm_comparison_get_state (self->comparison);
  if (state == DERM_COMPARISON_STATE_PHOTO_REMOVED)
    return;

  if (derm_comparison_has_full_images (self->comparison))
    {
      if (!self->pyramids[DERM_COMPARISON_IMAGE_BEFORE].full && !self->building_full)
        {
          self->building_full = TRUE;
          start_build (self, DERM_COMPARISON_IMAGE_BEFORE, DERM_COMPARISON_IMAGE_AFTER, 2, NULL);
        }
    }
  if (self->pyramids[DERM_COMPARISON_IMAGE_BEFORE].n_levels == 0 &&
      derm_comparison_has_image (self->comparison, DERM_COMPARISON_IMAGE_BEFORE) &&
      derm_comparison_has_image (self->comparison, DERM_COMPARISON_IMAGE_AFTER))
    {
      install_preview (self, DERM_COMPARISON_IMAGE_BEFORE);
      install_preview (self, DERM_COMPARISON_IMAGE_AFTER);
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }

  if (is_aligned_state (state) && derm_comparison_get_alignment (self->comparison, &alignment))
    {
      Pyramid *aligned = &self->pyramids[DERM_COMPARISON_IMAGE_AFTER_ALIGNED];

      if (!self->building_aligned &&
          (aligned->n_levels == 0 || memcmp (aligned->h, alignment.h, sizeof alignment.h) != 0))
        {
          self->building_aligned = TRUE;
          start_build (self, DERM_COMPARISON_IMAGE_AFTER_ALIGNED, DERM_COMPARISON_IMAGE_AFTER_ALIGNED, 1,
                       alignment.h);
        }
    }
  else if (state != DERM_COMPARISON_STATE_ALIGNING)
    {
      if (self->pyramids[DERM_COMPARISON_IMAGE_AFTER_ALIGNED].n_levels > 0)
        {
          pyramid_clear (&self->pyramids[DERM_COMPARISON_IMAGE_AFTER_ALIGNED]);
          gtk_widget_queue_draw (GTK_WIDGET (self));
        }
    }
}

static void
on_state_changed (DermCompareCanvas *self)
{
  sync_from_state (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* ------------------------------------------------------------ geometry */

static gboolean
get_before_size (DermCompareCanvas *self,
                 double            *w,
                 double            *h)
{
  int iw = 0, ih = 0;

  if (self->comparison == NULL)
    return FALSE;
  derm_comparison_get_image_size (self->comparison, DERM_COMPARISON_IMAGE_BEFORE, &iw, &ih);
  *w = iw;
  *h = ih;
  return iw > 0 && ih > 0;
}

/* After-photo pixels to before-photo units: the after photo as taken is
 * drawn as wide as the before photo */
static double
after_factor (DermCompareCanvas *self)
{
  int bw = 0, aw = 0;

  derm_comparison_get_image_size (self->comparison, DERM_COMPARISON_IMAGE_BEFORE, &bw, NULL);
  derm_comparison_get_image_size (self->comparison, DERM_COMPARISON_IMAGE_AFTER, &aw, NULL);
  return aw > 0 ? (double) bw / aw : 1.0;
}

static guint
get_panes (DermCompareCanvas *self,
           Pane               panes[2])
{
  double width = gtk_widget_get_width (GTK_WIDGET (self));
  double height = gtk_widget_get_height (GTK_WIDGET (self));
  double bw, bh;
  guint n = self->mode == DERM_COMPARE_MODE_SIDE_BY_SIDE ? 2 : 1;

  if (!get_before_size (self, &bw, &bh) || width < 2 || height < 2)
    return 0;
  for (guint i = 0; i < n; i++)
    {
      double pw = n == 2 ? (width - PANE_GAP) / 2 : width;

      panes[i].rect = GRAPHENE_RECT_INIT (i == 0 ? 0 : pw + PANE_GAP, 0, pw, height);
      panes[i].s = MIN (pw / bw, height / bh) * self->zoom;
    }
  return n;
}

static void
img_to_screen (DermCompareCanvas *self,
               const Pane        *pane,
               double             x,
               double             y,
               double            *sx,
               double            *sy)
{
  *sx = pane->rect.origin.x + pane->rect.size.width / 2 + (x - self->cx) * pane->s;
  *sy = pane->rect.origin.y + pane->rect.size.height / 2 + (y - self->cy) * pane->s;
}

static void
screen_to_img (DermCompareCanvas *self,
               const Pane        *pane,
               double             sx,
               double             sy,
               double            *x,
               double            *y)
{
  *x = self->cx + (sx - pane->rect.origin.x - pane->rect.size.width / 2) / pane->s;
  *y = self->cy + (sy - pane->rect.origin.y - pane->rect.size.height / 2) / pane->s;
}

/* Which pane (0, 1) is under (@x, @y), or -1 */
static int
pane_at (DermCompareCanvas *self,
         double             x,
         double             y,
         Pane              *out)
{
  Pane panes[2];
  guint n = get_panes (self, panes);

  for (guint i = 0; i < n; i++)
    if (graphene_rect_contains_point (&panes[i].rect, &GRAPHENE_POINT_INIT (x, y)))
      {
        *out = panes[i];
        return (int) i;
      }
  return -1;
}

static double
max_zoom (DermCompareCanvas *self)
{
  Pane panes[2];
  double fit_s;

  if (get_panes (self, panes) == 0)
    return 64.0;
  fit_s = panes[0].s / self->zoom;
  return MAX (1.0, MAX_SCREEN_PX / fit_s);
}

static double
clamp_axis (double centre,
            double half_view,
            double extent)
{
  /* Centred while the photo fits; else no further than its edge */
  if (2 * half_view >= extent)
    return extent / 2;
  return CLAMP (centre, half_view, extent - half_view);
}

static void
clamp_center (DermCompareCanvas *self)
{
  Pane panes[2];
  double bw, bh;

  if (!get_before_size (self, &bw, &bh))
    return;
  if (!self->centered)
    {
      self->cx = bw / 2;
      self->cy = bh / 2;
      self->centered = TRUE;
    }
  if (get_panes (self, panes) == 0)
    return;
  self->cx = clamp_axis (self->cx, panes[0].rect.size.width / (2 * panes[0].s), bw);
  self->cy = clamp_axis (self->cy, panes[0].rect.size.height / (2 * panes[0].s), bh);
}

static gboolean
use_aligned (DermCompareCanvas *self)
{
  return !self->show_unaligned && self->tool != DERM_COMPARE_TOOL_POINTS &&
         self->pyramids[DERM_COMPARISON_IMAGE_AFTER_ALIGNED].n_levels > 0;
}

/* ------------------------------------------------------------ drawing */

static const Level *
pick_level (const Pyramid *pyramid,
            double         texels_needed)
{
  const Level *best;

  if (pyramid->n_levels == 0)
    return NULL;
  /* The smallest level that still has a texel per device pixel */
  best = &pyramid->levels[0];
  for (guint i = 1; i < pyramid->n_levels; i++)
    if (pyramid->levels[i].scale >= texels_needed * 0.999)
      best = &pyramid->levels[i];
  return best;
}

static void
draw_image (DermCompareCanvas   *self,
            GtkSnapshot         *snapshot,
            const Pane          *pane,
            DermComparisonImage  which)
{
  const Pyramid *pyramid = &self->pyramids[which];
  double k = which == DERM_COMPARISON_IMAGE_AFTER ? after_factor (self) : 1.0;
  double device = pane->s * k * gtk_widget_get_scale_factor (GTK_WIDGET (self));
  const Level *level = pick_level (pyramid, device);
  double ox, oy, ts, x0, y0, x1, y1;

  if (level == NULL)
    return;
  if (which == DERM_COMPARISON_IMAGE_BEFORE)
    self->drawn_level_scale = level->scale;
  img_to_screen (self, pane, 0, 0, &ox, &oy);
  ts = pane->s * k / level->scale;
  /* The part of the level inside the pane */
  x0 = (pane->rect.origin.x - ox) / ts;
  y0 = (pane->rect.origin.y - oy) / ts;
  x1 = (pane->rect.origin.x + pane->rect.size.width - ox) / ts;
  y1 = (pane->rect.origin.y + pane->rect.size.height - oy) / ts;
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (ox, oy));
  gtk_snapshot_scale (snapshot, ts, ts);
  for (guint i = 0; i < level->tiles->len; i++)
    {
      const Tile *tile = g_ptr_array_index (level->tiles, i);

      if (tile->x + tile->width < x0 || tile->x > x1 || tile->y + tile->height < y0 || tile->y > y1)
        continue;
      gtk_snapshot_append_texture (snapshot, tile->texture,
                                   &GRAPHENE_RECT_INIT (tile->x, tile->y, tile->width, tile->height));
    }
  gtk_snapshot_restore (snapshot);
}

static DermComparisonImage
shown_after (DermCompareCanvas *self)
{
  return use_aligned (self) ? DERM_COMPARISON_IMAGE_AFTER_ALIGNED : DERM_COMPARISON_IMAGE_AFTER;
}

/* A dark rounded tag with white text, at (@x, @y) or ending at @x when
 * @align_right, at most @max_width wide (the text is ellipsized, so a
 * long tag with large text never runs off its pane); returns the y of
 * its bottom edge */
static double
draw_tag (DermCompareCanvas *self,
          GtkSnapshot       *snapshot,
          const char        *text,
          double             x,
          double             y,
          double             max_width,
          gboolean           align_right)
{
  g_autoptr (PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
  GskRoundedRect box;
  int tw, th;

  pango_layout_get_pixel_size (layout, &tw, &th);
  if (tw + 16 > max_width && max_width > 32)
    {
      pango_layout_set_width (layout, (int) ((max_width - 16) * PANGO_SCALE));
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
      pango_layout_get_pixel_size (layout, &tw, &th);
    }
  if (align_right)
    x -= tw + 16;
  gsk_rounded_rect_init_from_rect (&box, &GRAPHENE_RECT_INIT (x, y, tw + 16, th + 8), 6);
  gtk_snapshot_push_rounded_clip (snapshot, &box);
  gtk_snapshot_append_color (snapshot, &(GdkRGBA) { 0, 0, 0, 0.7 }, &box.bounds);
  gtk_snapshot_pop (snapshot);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x + 8, y + 4));
  gtk_snapshot_append_layout (snapshot, layout, &(GdkRGBA) { 1, 1, 1, 1 });
  gtk_snapshot_restore (snapshot);
  return y + th + 8;
}

static char *
photo_tag (DermCompareCanvas *self,
           gboolean           after)
{
  if (!after)
    /* TRANSLATORS: tag on the before photo, then its date, session and view */
    return g_strdup_printf (_("Before · %s"), self->labels[0]);
  if (self->pyramids[DERM_COMPARISON_IMAGE_AFTER_ALIGNED].n_levels > 0 && !use_aligned (self))
    /* TRANSLATORS: tag on the after photo shown without its alignment */
    return g_strdup_printf (_("After, as taken · %s"), self->labels[1]);
  /* TRANSLATORS: tag on the after photo, then its date, session and view */
  return g_strdup_printf (_("After · %s"), self->labels[1]);
}

static void
outline_path (cairo_t           *cr,
              DermCompareCanvas *self,
              const Pane        *pane,
              const double      *points,
              guint              n_points,
              double             k,
              gboolean           close)
{
  for (guint i = 0; i < n_points; i++)
    {
      double sx, sy;

      img_to_screen (self, pane, points[2 * i] * k, points[2 * i + 1] * k, &sx, &sy);
      if (i == 0)
        cairo_move_to (cr, sx, sy);
      else
        cairo_line_to (cr, sx, sy);
    }
  if (close)
    cairo_close_path (cr);
}

static void
stroke_outline (cairo_t       *cr,
                const GdkRGBA *colour,
                double         width)
{
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_source_rgba (cr, 0, 0, 0, 0.6);
  cairo_set_line_width (cr, width + 2);
  cairo_stroke_preserve (cr);
  gdk_cairo_set_source_rgba (cr, colour);
  cairo_set_line_width (cr, width);
  cairo_stroke (cr);
}

static void
cairo_text_at (cairo_t    *cr,
               GtkWidget  *widget,
               const char *text,
               double      x,
               double      y)
{
  g_autoptr (PangoLayout) layout = gtk_widget_create_pango_layout (widget, text);
  int tw, th;

  pango_layout_get_pixel_size (layout, &tw, &th);
  cairo_set_source_rgba (cr, 0, 0, 0, 0.65);
  cairo_rectangle (cr, x, y, tw + 8, th + 2);
  cairo_fill (cr);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_move_to (cr, x + 4, y + 1);
  pango_cairo_show_layout (cr, layout);
  /* No current point left behind for the next shape to join */
  cairo_new_path (cr);
}

/* Regions, the drawing in progress and manual points over one pane */
static void
draw_overlays (DermCompareCanvas *self,
               GtkSnapshot       *snapshot,
               const Pane        *pane,
               gboolean           after_pane)
{
  static const GdkRGBA region_colour = { 0.21, 0.52, 0.89, 1 };
  static const GdkRGBA selected_colour = { 0.96, 0.83, 0.18, 1 };
  static const GdkRGBA draw_colour = { 1, 1, 1, 1 };
  gboolean after_unaligned = after_pane && !use_aligned (self);
  GListModel *regions = derm_comparison_get_regions (self->comparison);
  cairo_t *cr = gtk_snapshot_append_cairo (snapshot, &pane->rect);

  /* Regions live in the before frame: on the after photo only when it
   * is shown aligned into it */
  if (!after_unaligned)
    for (guint i = 0; i < g_list_model_get_n_items (regions); i++)
      {
        g_autoptr (DermRegion) region = g_list_model_get_item (regions, i);
        const double *points;
        guint n;
        double sx, sy;
        gboolean selected = region == self->selected_region;

        points = derm_region_get_points (region, &n);
        if (n < 2)
          continue;
        outline_path (cr, self, pane, points, n, 1.0, TRUE);
        stroke_outline (cr, selected ? &selected_colour : &region_colour, selected ? 3 : 2);
        img_to_screen (self, pane, points[0], points[1], &sx, &sy);
        cairo_text_at (cr, GTK_WIDGET (self), derm_region_get_name (region), sx + 4, sy + 4);
      }

  if (!after_pane)
    {
      if (self->rubber)
        {
          double pts[8] = { self->rub[0], self->rub[1], self->rub[2], self->rub[1], self->rub[2], self->rub[3],
                            self->rub[0], self->rub[3] };
          static const double dash[] = { 6, 4 };

          cairo_set_dash (cr, dash, G_N_ELEMENTS (dash), 0);
          outline_path (cr, self, pane, pts, 4, 1.0, TRUE);
          stroke_outline (cr, &draw_colour, 2);
          cairo_set_dash (cr, NULL, 0, 0);
        }
      if (self->polygon->len > 0)
        {
          const double *pts = (const double *) (gpointer) self->polygon->data;
          guint n = self->polygon->len / 2;

          outline_path (cr, self, pane, pts, n, 1.0, FALSE);
          if (self->hover_valid)
            cairo_line_to (cr, self->hover_x, self->hover_y);
          stroke_outline (cr, &draw_colour, 2);
          for (guint i = 0; i < n; i++)
            {
              double sx, sy;

              img_to_screen (self, pane, pts[2 * i], pts[2 * i + 1], &sx, &sy);
              cairo_arc (cr, sx, sy, 4, 0, 2 * G_PI);
              stroke_outline (cr, &draw_colour, 2);
            }
        }
    }

  {
    GArray *pts = self->points[after_pane ? 1 : 0];
    double k = after_pane ? after_factor (self) : 1.0;

    for (guint i = 0; i < pts->len / 2; i++)
      {
        double sx, sy;
        g_autofree char *number = g_strdup_printf ("%u", i + 1);

        img_to_screen (self, pane, g_array_index (pts, double, 2 * i) * k,
                       g_array_index (pts, double, 2 * i + 1) * k, &sx, &sy);
        cairo_arc (cr, sx, sy, 7, 0, 2 * G_PI);
        stroke_outline (cr, &point_colours[i % MAX_POINTS], 3);
        cairo_move_to (cr, sx - 12, sy);
        cairo_line_to (cr, sx - 7, sy);
        cairo_move_to (cr, sx + 7, sy);
        cairo_line_to (cr, sx + 12, sy);
        cairo_move_to (cr, sx, sy - 12);
        cairo_line_to (cr, sx, sy - 7);
        cairo_move_to (cr, sx, sy + 7);
        cairo_line_to (cr, sx, sy + 12);
        stroke_outline (cr, &point_colours[i % MAX_POINTS], 2);
        cairo_text_at (cr, GTK_WIDGET (self), number, sx + 10, sy + 8);
      }
  }
  cairo_destroy (cr);
}

static void
draw_legend (DermCompareCanvas *self,
             GtkSnapshot       *snapshot,
             const Pane        *pane)
{
  const DermMapLegend *legend = &self->map->legend;
  double box_w = MIN (320, pane->rect.size.width - 24);
  double bar_h = 14;
  g_autoptr (PangoLayout) title = gtk_widget_create_pango_layout (GTK_WIDGET (self), self->map->description);
  g_autoptr (PangoLayout) units = gtk_widget_create_pango_layout (GTK_WIDGET (self), self->map->units);
  int title_h, units_h, tick_w, tick_h;
  double box_h, x, y, bar_y;
  cairo_t *cr;
  cairo_pattern_t *gradient;
  double range = legend->value_max - legend->value_min;

  if (box_w < 120)
    return;
  pango_layout_set_width (title, (int) ((box_w - 20) * PANGO_SCALE));
  pango_layout_set_wrap (title, PANGO_WRAP_WORD_CHAR);
  pango_layout_get_pixel_size (title, NULL, &title_h);
  pango_layout_get_pixel_size (units, NULL, &units_h);
  box_h = 10 + title_h + 8 + bar_h + 4 + units_h + 4 + units_h + 10;
  x = pane->rect.origin.x + pane->rect.size.width - box_w - 12;
  y = pane->rect.origin.y + pane->rect.size.height - box_h - 12;

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (x, y, box_w, box_h));
  cairo_set_source_rgba (cr, 0, 0, 0, 0.75);
  cairo_new_sub_path (cr);
  cairo_arc (cr, x + box_w - 8, y + 8, 8, -G_PI / 2, 0);
  cairo_arc (cr, x + box_w - 8, y + box_h - 8, 8, 0, G_PI / 2);
  cairo_arc (cr, x + 8, y + box_h - 8, 8, G_PI / 2, G_PI);
  cairo_arc (cr, x + 8, y + 8, 8, G_PI, 3 * G_PI / 2);
  cairo_close_path (cr);
  cairo_fill (cr);

  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_move_to (cr, x + 10, y + 10);
  pango_cairo_show_layout (cr, title);

  bar_y = y + 10 + title_h + 8;
  gradient = cairo_pattern_create_linear (x + 10, 0, x + box_w - 10, 0);
  for (guint i = 0; i < DERM_MAP_N_TICKS; i++)
    {
      double offset = range > 0 ? (legend->ticks[i] - legend->value_min) / range : (double) i / (DERM_MAP_N_TICKS - 1);

      cairo_pattern_add_color_stop_rgb (gradient, CLAMP (offset, 0, 1), legend->tick_rgba[i][0] / 255.0,
                                        legend->tick_rgba[i][1] / 255.0, legend->tick_rgba[i][2] / 255.0);
    }
  cairo_rectangle (cr, x + 10, bar_y, box_w - 20, bar_h);
  cairo_set_source (cr, gradient);
  cairo_fill_preserve (cr);
  cairo_pattern_destroy (gradient);
  cairo_set_source_rgba (cr, 1, 1, 1, 0.8);
  cairo_set_line_width (cr, 1);
  cairo_stroke (cr);

  for (guint i = 0; i < DERM_MAP_N_TICKS; i++)
    {
      double offset = range > 0 ? (legend->ticks[i] - legend->value_min) / range : (double) i / (DERM_MAP_N_TICKS - 1);
      double tx = x + 10 + CLAMP (offset, 0, 1) * (box_w - 20);
      g_autofree char *text = fabs (range) < 10 ? derm_format_signed (legend->ticks[i], 1)
                                                : g_strdup_printf ("%.0f", legend->ticks[i]);
      g_autoptr (PangoLayout) tick = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);

      cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_move_to (cr, tx, bar_y + bar_h);
      cairo_line_to (cr, tx, bar_y + bar_h + 3);
      cairo_stroke (cr);
      pango_layout_get_pixel_size (tick, &tick_w, &tick_h);
      cairo_move_to (cr, CLAMP (tx - tick_w / 2.0, x + 6, x + box_w - 6 - tick_w), bar_y + bar_h + 4);
      pango_cairo_show_layout (cr, tick);
    }
  cairo_move_to (cr, x + 10, bar_y + bar_h + 4 + units_h + 4);
  pango_cairo_show_layout (cr, units);
  cairo_destroy (cr);
}

static void
draw_pane_background (GtkSnapshot *snapshot,
                      const Pane  *pane)
{
  gtk_snapshot_append_color (snapshot, &(GdkRGBA) { 0.12, 0.12, 0.12, 1 }, &pane->rect);
}

static double
divider_x (DermCompareCanvas *self,
           const Pane        *pane)
{
  return pane->rect.origin.x + self->wipe * pane->rect.size.width;
}

static void
draw_divider (DermCompareCanvas *self,
              GtkSnapshot       *snapshot,
              const Pane        *pane)
{
  double x = round (divider_x (self, pane));
  double cy = pane->rect.origin.y + pane->rect.size.height / 2;
  cairo_t *cr = gtk_snapshot_append_cairo (snapshot, &pane->rect);

  cairo_set_source_rgba (cr, 0, 0, 0, 0.5);
  cairo_rectangle (cr, x - 2, pane->rect.origin.y, 4, pane->rect.size.height);
  cairo_fill (cr);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_rectangle (cr, x - 1, pane->rect.origin.y, 2, pane->rect.size.height);
  cairo_fill (cr);
  cairo_arc (cr, x, cy, 16, 0, 2 * G_PI);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_fill_preserve (cr);
  cairo_set_source_rgba (cr, 0, 0, 0, 0.5);
  cairo_set_line_width (cr, 1);
  cairo_stroke (cr);
  cairo_set_source_rgb (cr, 0.2, 0.2, 0.2);
  cairo_move_to (cr, x - 4, cy - 6);
  cairo_line_to (cr, x - 10, cy);
  cairo_line_to (cr, x - 4, cy + 6);
  cairo_close_path (cr);
  cairo_move_to (cr, x + 4, cy - 6);
  cairo_line_to (cr, x + 10, cy);
  cairo_line_to (cr, x + 4, cy + 6);
  cairo_close_path (cr);
  cairo_fill (cr);
  cairo_destroy (cr);
}

static void
draw_heatmap (DermCompareCanvas *self,
              GtkSnapshot       *snapshot,
              const Pane        *pane)
{
  draw_image (self, snapshot, pane, DERM_COMPARISON_IMAGE_BEFORE);
  if (self->map_texture != NULL)
    {
      double ox, oy, ts = pane->s / self->map->scale;

      img_to_screen (self, pane, 0, 0, &ox, &oy);
      gtk_snapshot_push_opacity (snapshot, self->opacity);
      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (ox, oy));
      gtk_snapshot_scale (snapshot, ts, ts);
      gtk_snapshot_append_texture (snapshot, self->map_texture,
                                   &GRAPHENE_RECT_INIT (0, 0, gdk_texture_get_width (self->map_texture),
                                                        gdk_texture_get_height (self->map_texture)));
      gtk_snapshot_restore (snapshot);
      gtk_snapshot_pop (snapshot);
    }
}

static void
derm_compare_canvas_snapshot (GtkWidget   *widget,
                              GtkSnapshot *snapshot)
{
  DermCompareCanvas *self = DERM_COMPARE_CANVAS (widget);
  Pane panes[2];
  guint n;

  clamp_center (self);
  n = get_panes (self, panes);
  if (n == 0 || self->pyramids[DERM_COMPARISON_IMAGE_BEFORE].n_levels == 0)
    return;

  for (guint i = 0; i < n; i++)
    {
      const Pane *pane = &panes[i];
      g_autofree char *before_tag = photo_tag (self, FALSE);
      g_autofree char *after_tag = photo_tag (self, TRUE);
      double x = pane->rect.origin.x + 12, y = pane->rect.origin.y + 12;
      double width = pane->rect.size.width - 24;
      double bottom;

      gtk_snapshot_push_clip (snapshot, &pane->rect);
      draw_pane_background (snapshot, pane);
      switch (self->mode)
        {
        case DERM_COMPARE_MODE_SIDE_BY_SIDE:
          draw_image (self, snapshot, pane, i == 0 ? DERM_COMPARISON_IMAGE_BEFORE : shown_after (self));
          draw_overlays (self, snapshot, pane, i == 1);
          draw_tag (self, snapshot, i == 0 ? before_tag : after_tag, x, y, width, FALSE);
          break;

        case DERM_COMPARE_MODE_WIPE:
          {
            double dx = divider_x (self, pane);
            graphene_rect_t left = GRAPHENE_RECT_INIT (pane->rect.origin.x, pane->rect.origin.y,
                                                       dx - pane->rect.origin.x, pane->rect.size.height);
            graphene_rect_t right = GRAPHENE_RECT_INIT (dx, pane->rect.origin.y,
                                                        pane->rect.origin.x + pane->rect.size.width - dx,
                                                        pane->rect.size.height);

            gtk_snapshot_push_clip (snapshot, &left);
            draw_image (self, snapshot, pane, DERM_COMPARISON_IMAGE_BEFORE);
            gtk_snapshot_pop (snapshot);
            gtk_snapshot_push_clip (snapshot, &right);
            draw_image (self, snapshot, pane, shown_after (self));
            gtk_snapshot_pop (snapshot);
            draw_overlays (self, snapshot, pane, FALSE);
            draw_divider (self, snapshot, pane);
            draw_tag (self, snapshot, before_tag, x, y, width / 2 - 6, FALSE);
            draw_tag (self, snapshot, after_tag, pane->rect.origin.x + pane->rect.size.width - 12, y,
                      width / 2 - 6, TRUE);
          }
          break;

        case DERM_COMPARE_MODE_BLEND:
          {
            g_autofree char *blend_tag = NULL;

            draw_image (self, snapshot, pane, DERM_COMPARISON_IMAGE_BEFORE);
            gtk_snapshot_push_opacity (snapshot, self->opacity);
            draw_image (self, snapshot, pane, shown_after (self));
            gtk_snapshot_pop (snapshot);
            draw_overlays (self, snapshot, pane, FALSE);
            bottom = draw_tag (self, snapshot, before_tag, x, y, width, FALSE);
            /* TRANSLATORS: the after photo's tag and how much of it shows, e.g. "After · ... · 50 %" */
            blend_tag = g_strdup_printf (_("%s · %.0f %%"), after_tag, self->opacity * 100);
            draw_tag (self, snapshot, blend_tag, x, bottom + 8, width, FALSE);
          }
          break;

        case DERM_COMPARE_MODE_HEATMAP:
          draw_heatmap (self, snapshot, pane);
          draw_overlays (self, snapshot, pane, FALSE);
          bottom = draw_tag (self, snapshot, before_tag, x, y, width, FALSE);
          if (self->map != NULL)
            draw_legend (self, snapshot, pane);
          else if (self->map_status != NULL)
            draw_tag (self, snapshot, self->map_status, x, bottom + 8, width, FALSE);
          break;

        default:
          g_assert_not_reached ();
        }
      gtk_snapshot_pop (snapshot);
    }
}

/* ------------------------------------------------------------ input */

static void
emit_rect (DermCompareCanvas *self,
           double             x0,
           double             y0,
           double             x1,
           double             y1)
{
  double bw, bh, x, y, w, h;

  if (!get_before_size (self, &bw, &bh))
    return;
  x = CLAMP (MIN (x0, x1), 0, bw);
  y = CLAMP (MIN (y0, y1), 0, bh);
  w = CLAMP (MAX (x0, x1), 0, bw) - x;
  h = CLAMP (MAX (y0, y1), 0, bh) - y;
  /* A click is not a rectangle */
  if (w < 4 || h < 4)
    return;
  if (self->tool == DERM_COMPARE_TOOL_WB_PATCH)
    g_signal_emit (self, signals[PATCH_MARKED], 0, (int) round (x), (int) round (y), (int) round (w),
                   (int) round (h));
  else
    {
      g_autoptr (DermRegion) region = derm_region_new_rect ("", x, y, w, h);

      g_signal_emit (self, signals[REGION_DRAWN], 0, region);
    }
}

static void
cancel_drawing (DermCompareCanvas *self)
{
  self->rubber = FALSE;
  g_array_set_size (self->polygon, 0);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static gboolean
close_polygon (DermCompareCanvas *self)
{
  g_autoptr (DermRegion) region = NULL;
  guint n = self->polygon->len / 2;

  if (n < 3)
    return FALSE;
  region = derm_region_new_polygon ("", (const double *) (gpointer) self->polygon->data, n);
  g_array_set_size (self->polygon, 0);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_signal_emit (self, signals[REGION_DRAWN], 0, region);
  return TRUE;
}

static void
add_polygon_point (DermCompareCanvas *self,
                   double             x,
                   double             y)
{
  double bw, bh;

  if (!get_before_size (self, &bw, &bh) || self->polygon->len / 2 >= DERM_REGION_MAX_POINTS)
    return;
  x = CLAMP (x, 0, bw);
  y = CLAMP (y, 0, bh);
  g_array_append_val (self->polygon, x);
  g_array_append_val (self->polygon, y);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* The pane a press draws on: regions only on the before photo */
static gboolean
before_pane_at (DermCompareCanvas *self,
                double             x,
                double             y,
                Pane              *pane)
{
  return pane_at (self, x, y, pane) == 0;
}

static void
on_drag_begin (GtkGestureDrag    *gesture,
               double             x,
               double             y,
               DermCompareCanvas *self)
{
  Pane pane;

  gtk_widget_grab_focus (GTK_WIDGET (self));
  self->drag_x = x;
  self->drag_y = y;
  switch (self->tool)
    {
    case DERM_COMPARE_TOOL_PAN:
      if (pane_at (self, x, y, &pane) < 0)
        {
          gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
          return;
        }
      if (self->mode == DERM_COMPARE_MODE_WIPE && fabs (x - divider_x (self, &pane)) <= 18)
        self->dragging_divider = TRUE;
      else
        {
          self->panning = TRUE;
          self->drag_cx = self->cx;
          self->drag_cy = self->cy;
        }
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
      break;

    case DERM_COMPARE_TOOL_RECT:
    case DERM_COMPARE_TOOL_WB_PATCH:
      if (!before_pane_at (self, x, y, &pane))
        {
          gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
          return;
        }
      screen_to_img (self, &pane, x, y, &self->rub[0], &self->rub[1]);
      self->rub[2] = self->rub[0];
      self->rub[3] = self->rub[1];
      self->rubber = TRUE;
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
      break;

    case DERM_COMPARE_TOOL_POLYGON:
    case DERM_COMPARE_TOOL_POINTS:
    case DERM_COMPARE_TOOL_CHART:
      /* Clicks, handled by the click gesture */
      break;

    default:
      g_assert_not_reached ();
    }
}

static void
on_drag_update (GtkGestureDrag    *gesture,
                double             dx,
                double             dy,
                DermCompareCanvas *self)
{
  Pane panes[2];

  if (get_panes (self, panes) == 0)
    return;
  if (self->dragging_divider)
    derm_compare_canvas_set_wipe_position (self, (self->drag_x + dx - panes[0].rect.origin.x) /
                                                 panes[0].rect.size.width);
  else if (self->panning)
    {
      self->cx = self->drag_cx - dx / panes[0].s;
      self->cy = self->drag_cy - dy / panes[0].s;
      clamp_center (self);
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
  else if (self->rubber)
    {
      screen_to_img (self, &panes[0], self->drag_x + dx, self->drag_y + dy, &self->rub[2], &self->rub[3]);
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
}

/* A click (a drag that did not move) on a region's outline selects it */
static void
activate_region_at (DermCompareCanvas *self,
                    double             x,
                    double             y)
{
  GListModel *regions = derm_comparison_get_regions (self->comparison);
  Pane pane;
  double ix, iy;
  int index = pane_at (self, x, y, &pane);

  if (index < 0 || (index == 1 && !use_aligned (self)))
    return;
  screen_to_img (self, &pane, x, y, &ix, &iy);
  /* The last drawn is on top */
  for (guint i = g_list_model_get_n_items (regions); i > 0; i--)
    {
      g_autoptr (DermRegion) region = g_list_model_get_item (regions, i - 1);

      if (derm_region_contains (region, ix, iy))
        {
          g_signal_emit (self, signals[REGION_ACTIVATED], 0, region);
          return;
        }
    }
}

static void
on_drag_end (GtkGestureDrag    *gesture,
             double             dx,
             double             dy,
             DermCompareCanvas *self)
{
  if (self->panning && hypot (dx, dy) < 3)
    activate_region_at (self, self->drag_x, self->drag_y);
  self->dragging_divider = FALSE;
  self->panning = FALSE;
  if (self->rubber)
    {
      self->rubber = FALSE;
      gtk_widget_queue_draw (GTK_WIDGET (self));
      emit_rect (self, self->rub[0], self->rub[1], self->rub[2], self->rub[3]);
    }
}

static void
on_click_pressed (GtkGestureClick   *gesture,
                  int                n_press,
                  double             x,
                  double             y,
                  DermCompareCanvas *self)
{
  Pane pane;
  double ix, iy;
  int index;

  gtk_widget_grab_focus (GTK_WIDGET (self));
  if (self->tool == DERM_COMPARE_TOOL_CHART)
    {
      if (n_press == 1 && before_pane_at (self, x, y, &pane))
        {
          screen_to_img (self, &pane, x, y, &ix, &iy);
          derm_compare_canvas_add_chart_corner (self, ix, iy);
        }
    }
  else if (self->tool == DERM_COMPARE_TOOL_POLYGON)
    {
      if (n_press >= 2)
        {
          close_polygon (self);
          return;
        }
      if (!before_pane_at (self, x, y, &pane))
        return;
      screen_to_img (self, &pane, x, y, &ix, &iy);
      add_polygon_point (self, ix, iy);
    }
  else if (self->tool == DERM_COMPARE_TOOL_POINTS && n_press == 1)
    {
      index = pane_at (self, x, y, &pane);
      if (index < 0 || self->mode != DERM_COMPARE_MODE_SIDE_BY_SIDE)
        return;
      screen_to_img (self, &pane, x, y, &ix, &iy);
      if (index == 1)
        {
          double k = after_factor (self);
          ix /= k;
          iy /= k;
        }
      derm_compare_canvas_add_manual_point (self, index == 1, ix, iy);
    }
}

static void
update_cursor (DermCompareCanvas *self)
{
  const char *name = "default";
  Pane pane;

  switch (self->tool)
    {
    case DERM_COMPARE_TOOL_PAN:
      if (self->hover_valid && self->mode == DERM_COMPARE_MODE_WIPE &&
          pane_at (self, self->hover_x, self->hover_y, &pane) >= 0 &&
          fabs (self->hover_x - divider_x (self, &pane)) <= 18)
        name = "ew-resize";
      else
        name = self->panning ? "grabbing" : "grab";
      break;

    case DERM_COMPARE_TOOL_RECT:
    case DERM_COMPARE_TOOL_POLYGON:
    case DERM_COMPARE_TOOL_WB_PATCH:
    case DERM_COMPARE_TOOL_POINTS:
    case DERM_COMPARE_TOOL_CHART:
      name = "crosshair";
      break;

    default:
      g_assert_not_reached ();
    }
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), name);
}

static void
on_motion (GtkEventControllerMotion *controller,
           double                    x,
           double                    y,
           DermCompareCanvas        *self)
{
  self->hover_valid = TRUE;
  self->hover_x = x;
  self->hover_y = y;
  update_cursor (self);
  if (self->polygon->len > 0)
    gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
on_leave (GtkEventControllerMotion *controller,
          DermCompareCanvas        *self)
{
  self->hover_valid = FALSE;
  if (self->polygon->len > 0)
    gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Zooms to @zoom keeping the photo point under (@x, @y) in place */
static void
zoom_at (DermCompareCanvas *self,
         double             zoom,
         double             x,
         double             y)
{
  Pane pane, after;
  double ix, iy;
  int index = pane_at (self, x, y, &pane);

  if (index < 0)
    {
      derm_compare_canvas_set_zoom (self, zoom);
      return;
    }
  screen_to_img (self, &pane, x, y, &ix, &iy);
  derm_compare_canvas_set_zoom (self, zoom);
  if (pane_at (self, x, y, &after) < 0)
    return;
  self->cx = ix - (x - after.rect.origin.x - after.rect.size.width / 2) / after.s;
  self->cy = iy - (y - after.rect.origin.y - after.rect.size.height / 2) / after.s;
  clamp_center (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static gboolean
on_scroll (GtkEventControllerScroll *controller,
           double                    dx,
           double                    dy,
           DermCompareCanvas        *self)
{
  double x = self->hover_valid ? self->hover_x : gtk_widget_get_width (GTK_WIDGET (self)) / 2.0;
  double y = self->hover_valid ? self->hover_y : gtk_widget_get_height (GTK_WIDGET (self)) / 2.0;

  zoom_at (self, self->zoom * pow (1.15, -dy), x, y);
  return TRUE;
}

static void
on_zoom_begin (GtkGesture        *gesture,
               GdkEventSequence  *sequence,
               DermCompareCanvas *self)
{
  self->zoom_at_gesture = self->zoom;
}

static void
on_zoom_scale_changed (GtkGestureZoom    *gesture,
                       double             scale,
                       DermCompareCanvas *self)
{
  double x, y;

  if (!gtk_gesture_get_bounding_box_center (GTK_GESTURE (gesture), &x, &y))
    {
      x = gtk_widget_get_width (GTK_WIDGET (self)) / 2.0;
      y = gtk_widget_get_height (GTK_WIDGET (self)) / 2.0;
    }
  zoom_at (self, self->zoom_at_gesture * scale, x, y);
}

static gboolean
on_key_pressed (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                DermCompareCanvas     *self)
{
  double step = (state & GDK_SHIFT_MASK) ? 5 * DERM_COMPARE_WIPE_STEP : DERM_COMPARE_WIPE_STEP;

  switch (keyval)
    {
    case GDK_KEY_Left:
    case GDK_KEY_KP_Left:
      if (self->mode != DERM_COMPARE_MODE_WIPE)
        return FALSE;
      derm_compare_canvas_set_wipe_position (self, self->wipe - step);
      return TRUE;

    case GDK_KEY_Right:
    case GDK_KEY_KP_Right:
      if (self->mode != DERM_COMPARE_MODE_WIPE)
        return FALSE;
      derm_compare_canvas_set_wipe_position (self, self->wipe + step);
      return TRUE;

    case GDK_KEY_Return:
    case GDK_KEY_KP_Enter:
      return self->tool == DERM_COMPARE_TOOL_POLYGON && close_polygon (self);

    case GDK_KEY_BackSpace:
      if (self->polygon->len == 0)
        return FALSE;
      g_array_set_size (self->polygon, self->polygon->len - 2);
      gtk_widget_queue_draw (GTK_WIDGET (self));
      return TRUE;

    case GDK_KEY_Escape:
      if (self->polygon->len == 0 && !self->rubber)
        return FALSE;
      cancel_drawing (self);
      return TRUE;

    default:
      return FALSE;
    }
}

/* ------------------------------------------------------------ GObject */

static void
disconnect_comparison (DermCompareCanvas *self)
{
  if (self->comparison == NULL)
    return;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_signal_handlers_disconnect_by_data (self->comparison, self);
  g_signal_handlers_disconnect_by_data (derm_comparison_get_regions (self->comparison), self);
  g_clear_object (&self->comparison);
}

static void
derm_compare_canvas_dispose (GObject *object)
{
  DermCompareCanvas *self = DERM_COMPARE_CANVAS (object);

  disconnect_comparison (self);
  for (guint i = 0; i < N_IMAGES; i++)
    pyramid_clear (&self->pyramids[i]);
  g_clear_object (&self->map_texture);
  g_clear_pointer (&self->map, derm_comparison_map_free);
  g_clear_object (&self->selected_region);

  G_OBJECT_CLASS (derm_compare_canvas_parent_class)->dispose (object);
}

static void
derm_compare_canvas_finalize (GObject *object)
{
  DermCompareCanvas *self = DERM_COMPARE_CANVAS (object);

  g_free (self->labels[0]);
  g_free (self->labels[1]);
  g_free (self->map_status);
  g_array_unref (self->polygon);
  g_array_unref (self->points[0]);
  g_array_unref (self->points[1]);

  G_OBJECT_CLASS (derm_compare_canvas_parent_class)->finalize (object);
}

static void
derm_compare_canvas_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  DermCompareCanvas *self = DERM_COMPARE_CANVAS (object);

  switch (prop_id)
    {
    case PROP_COMPARISON:
      g_value_set_object (value, self->comparison);
      break;
    case PROP_MODE:
      g_value_set_enum (value, self->mode);
      break;
    case PROP_WIPE_POSITION:
      g_value_set_double (value, self->wipe);
      break;
    case PROP_OPACITY:
      g_value_set_double (value, self->opacity);
      break;
    case PROP_SHOW_UNALIGNED:
      g_value_set_boolean (value, self->show_unaligned);
      break;
    case PROP_TOOL:
      g_value_set_enum (value, self->tool);
      break;
    case PROP_ZOOM:
      g_value_set_double (value, self->zoom);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
derm_compare_canvas_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  DermCompareCanvas *self = DERM_COMPARE_CANVAS (object);

  switch (prop_id)
    {
    case PROP_COMPARISON:
      derm_compare_canvas_set_comparison (self, g_value_get_object (value));
      break;
    case PROP_MODE:
      derm_compare_canvas_set_mode (self, g_value_get_enum (value));
      break;
    case PROP_WIPE_POSITION:
      derm_compare_canvas_set_wipe_position (self, g_value_get_double (value));
      break;
    case PROP_OPACITY:
      derm_compare_canvas_set_opacity (self, g_value_get_double (value));
      break;
    case PROP_SHOW_UNALIGNED:
      derm_compare_canvas_set_show_unaligned (self, g_value_get_boolean (value));
      break;
    case PROP_TOOL:
      derm_compare_canvas_set_tool (self, g_value_get_enum (value));
      break;
    case PROP_ZOOM:
      derm_compare_canvas_set_zoom (self, g_value_get_double (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
derm_compare_canvas_measure (GtkWidget      *widget,
                             GtkOrientation  orientation,
                             int             for_size,
                             int            *minimum,
                             int            *natural,
                             int            *minimum_baseline,
                             int            *natural_baseline)
{
  *minimum = orientation == GTK_ORIENTATION_HORIZONTAL ? 240 : 180;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 800 : 560;
}

static void
derm_compare_canvas_class_init (DermCompareCanvasClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = derm_compare_canvas_dispose;
  object_class->finalize = derm_compare_canvas_finalize;
  object_class->get_property = derm_compare_canvas_get_property;
  object_class->set_property = derm_compare_canvas_set_property;
  widget_class->snapshot = derm_compare_canvas_snapshot;
  widget_class->measure = derm_compare_canvas_measure;

  properties[PROP_COMPARISON] =
    g_param_spec_object ("comparison", NULL, NULL, DERM_TYPE_COMPARISON,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MODE] =
    g_param_spec_enum ("mode", NULL, NULL, DERM_TYPE_COMPARE_MODE, DERM_COMPARE_MODE_SIDE_BY_SIDE,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_WIPE_POSITION] =
    g_param_spec_double ("wipe-position", NULL, NULL, 0.0, 1.0, 0.5,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_OPACITY] =
    g_param_spec_double ("opacity", NULL, NULL, 0.0, 1.0, 0.5,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SHOW_UNALIGNED] =
    g_param_spec_boolean ("show-unaligned", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TOOL] =
    g_param_spec_enum ("tool", NULL, NULL, DERM_TYPE_COMPARE_TOOL, DERM_COMPARE_TOOL_PAN,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ZOOM] =
    g_param_spec_double ("zoom", NULL, NULL, 1.0, G_MAXDOUBLE, 1.0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * DermCompareCanvas::region-drawn:
   * @region: the new region, unnamed and unsaved, in before-photo pixels
   */
  signals[REGION_DRAWN] =
    g_signal_new ("region-drawn", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, DERM_TYPE_REGION);
  /**
   * DermCompareCanvas::patch-marked:
   * The grey-card patch, x, y, width, height in before-photo pixels
   */
  signals[PATCH_MARKED] =
    g_signal_new ("patch-marked", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 4, G_TYPE_INT, G_TYPE_INT, G_TYPE_INT, G_TYPE_INT);
  /**
   * DermCompareCanvas::chart-marked:
   * @corners: 8 doubles, the chart's four outer corners (x, y) in
   *   before-photo pixels, in the order they were clicked
   */
  signals[CHART_MARKED] =
    g_signal_new ("chart-marked", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_POINTER);
  /**
   * DermCompareCanvas::region-activated:
   * @region: the region clicked on
   */
  signals[REGION_ACTIVATED] =
    g_signal_new ("region-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, DERM_TYPE_REGION);
  signals[POINTS_CHANGED] =
    g_signal_new ("points-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_css_name (widget_class, "compare-canvas");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
derm_compare_canvas_init (DermCompareCanvas *self)
{
  GtkGesture *drag, *click, *zoom;
  GtkEventController *motion, *scroll, *key;

  self->wipe = 0.5;
  self->opacity = 0.5;
  self->zoom = 1.0;
  self->polygon = g_array_new (FALSE, FALSE, sizeof (double));
  self->points[0] = g_array_new (FALSE, FALSE, sizeof (double));
  self->points[1] = g_array_new (FALSE, FALSE, sizeof (double));

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_focus_on_click (GTK_WIDGET (self), TRUE);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (self), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Before and after photos"), -1);

  drag = gtk_gesture_drag_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (drag), GDK_BUTTON_PRIMARY);
  g_signal_connect (drag, "drag-begin", G_CALLBACK (on_drag_begin), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (on_drag_update), self);
  g_signal_connect (drag, "drag-end", G_CALLBACK (on_drag_end), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));

  click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_PRIMARY);
  g_signal_connect (click, "pressed", G_CALLBACK (on_click_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));

  zoom = gtk_gesture_zoom_new ();
  g_signal_connect (zoom, "begin", G_CALLBACK (on_zoom_begin), self);
  g_signal_connect (zoom, "scale-changed", G_CALLBACK (on_zoom_scale_changed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (zoom));

  motion = gtk_event_controller_motion_new ();
  g_signal_connect (motion, "motion", G_CALLBACK (on_motion), self);
  g_signal_connect (motion, "leave", G_CALLBACK (on_leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);

  scroll = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL);
  g_signal_connect (scroll, "scroll", G_CALLBACK (on_scroll), self);
  gtk_widget_add_controller (GTK_WIDGET (self), scroll);

  key = gtk_event_controller_key_new ();
  g_signal_connect (key, "key-pressed", G_CALLBACK (on_key_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), key);

  update_cursor (self);
}

/* ------------------------------------------------------------ public */

GtkWidget *
derm_compare_canvas_new (void)
{
  return g_object_new (DERM_TYPE_COMPARE_CANVAS, NULL);
}

DermComparison *
derm_compare_canvas_get_comparison (DermCompareCanvas *self)
{
  g_return_val_if_fail (DERM_IS_COMPARE_CANVAS (self), NULL);
  return self->comparison;
}

void
derm_compare_canvas_set_comparison (DermCompareCanvas *self,
                                    DermComparison    *comparison)
{
  g_return_if_fail (DERM_IS_COMPARE_CANVAS (self));
  g_return_if_fail (comparison == NULL || DERM_IS_COMPARISON (comparison));

  if (self->comparison == comparison)
    return;
  disconnect_comparison (self);
  for (guint i = 0; i < N_IMAGES; i++)
    pyramid_clear (&self->pyramids[i]);
  self->building_full = FALSE;
  self->building_aligned = FALSE;
  self->centered = FALSE;
  g_array_set_size (self->points[0], 0);
  g_array_set_size (self->points[1], 0);
  cancel_drawing (self);
  g_clear_pointer (&self->labels[0], g_free);
  g_clear_pointer (&self->labels[1], g_free);
  derm_compare_canvas_set_map (self, NULL);
  g_clear_object (&self->selected_region);

  if (comparison != NULL)
    {
      self->comparison = g_object_ref (comparison);
      self->cancellable = g_cancellable_new ();
      self->labels[0] = derm_comparison_dup_label (comparison, DERM_COMPARISON_IMAGE_BEFORE);
      self->labels[1] = derm_comparison_dup_label (comparison, DERM_COMPARISON_IMAGE_AFTER);
      g_signal_connect_swapped (comparison, "notify::state", G_CALLBACK (on_state_changed), self);
      g_signal_connect_swapped (derm_comparison_get_regions (comparison), "items-changed",
                                G_CALLBACK (gtk_widget_queue_draw), self);
      sync_from_state (self);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPARISON]);
}

DermCompareMode
derm_compare_canvas_get_mode (DermCompareCanvas *self)
{
  g_return_val_if_fail (DERM_IS_COMPARE_CANVAS (self), DERM_COMPARE_MODE_SIDE_BY_SIDE);
  return self->mode;
}

void
derm_compare_canvas_set_mode (DermCompareCanvas *self,
                              DermCompareMode    mode)
{
  g_return_if_fail (DERM_IS_COMPARE_CANVAS (self));
  g_return_if_fail (mode <= DERM_COMPARE_MODE_HEATMAP);

  if (self->mode == mode)
    return;
  self->mode = mode;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODE]);
}

double
derm_compare_canvas_get_wipe_position (DermCompareCanvas *self)
{
  g_return_val_if_fail (DERM_IS_COMPARE_CANVAS (self), 0.5);
  return self->wipe;
}

void
derm_compare_canvas_set_wipe_position (DermCompareCanvas *self,
                                       double             position)
{
  g_return_if_fail (DERM_IS_COMPARE_CANVAS (self));

  position = CLAMP (position, 0.0, 1.0);
  if (self->wipe == position)
    return;
  self->wipe = position;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WIPE_POSITION]);
}

double
derm_compare_canvas_get_opacity (DermCompareCanvas *self)
{
  g_return_val_if_fail (DERM_IS_COMPARE_CANVAS (self), 0.5);
  return self->opacity;
}

void
derm_compare_canvas_set_opacity (DermCompareCanvas *self,
                                 double             opacity)
{
  g_return_if_fail (DERM_IS_COMPARE_CANVAS (self));

  opacity = CLAMP (opacity, 0.0, 1.0);
  if (self->opacity == opacity)
    return;
  self->opacity = opacity;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OPACITY]);
}

gboolean
derm_compare_canvas_get_show_unaligned (DermCompareCanvas *self)
{
  g_return_val_if_fail (DERM_IS_COMPARE_CANVAS (self), FALSE);
  return self->show_unaligned;
}

void
derm_compare_canvas_set_show_unaligned (DermCompareCanvas *self,
                                        gboolean           show_unaligned)
{
  g_return_if_fail (DERM_IS_COMPARE_CANVAS (self));

  show_unaligned = !!show_unaligned;
  if (self->show_unaligned == show_unaligned)
    return;
  self->show_unaligned = show_unaligned;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_UNALIGNED]);
}

DermCompareTool
derm_compare_canvas_get_tool (DermCompareCanvas *self)
{
  g_return_val_if_fail (DERM_IS_COMPARE_CANVAS (self), DERM_COMPARE_TOOL_PAN);
  return self->tool;
}

void
derm_compare_canvas_set_tool (DermCompareCanvas *self,
                              DermCompareTool    tool)
{
  g_return_if_fail (DERM_IS_COMPARE_CANVAS (self));
  g_return_if_fail (tool <= DERM_COMPARE_TOOL_CHART);

  if (self->tool == tool)
    return;
  self->tool = tool;
  cancel_drawing (self);
  update_cursor (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOOL]);
}

double
derm_compare_canvas_get_zoom (DermCompareCanvas *self)
{
  g_return_val_if_fail (DERM_IS_COMPARE_CANVAS (self), 1.0);
  return self->zoom;
}

void
derm_compare_canvas_set_zoom (DermCompareCanvas *self,
                              double             zoom)
{
  g_return_if_fail (DERM_IS_COMPARE_CANVAS (self));

  zoom = CLAMP (zoom, 1.0, max_zoom (self));
  if (self->zoom == zoom)
    return;
  self->zoom = zoom;
  if (zoom == 1.0)
    self->centered = FALSE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);
}

void
derm_compare_canvas_get_center (DermCompareCanvas *self,
                                double            *x,
                                double            *y)
{
  g_return_if_fail (DERM_IS_COMPARE_CANVAS (self));

  clamp_center (self);
  if (x != NULL)
    *x = self->cx;
  if (y != NULL)
    *y = self->cy;
}

void
derm_compare_canvas_set_center (DermCompareCanvas *self,
                                double             x,
                                double             y)
{
  g_return_if_fail (DERM_IS_COMPARE_CANVAS (self));

  clamp_center (self);
  self->cx = x;
  self->cy = y;
  clamp_center (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
derm_compare_canvas_set_map (DermCompareCanvas *self,
                             DermComparisonMap *map)
{
  g_return_if_fail (DERM_IS_COMPARE_CANVAS (self));

  g_clear_object (&self->map_texture);
  g_clear_pointer (&self->map, derm_comparison_map_free);
  self->map = map;
  if (map != NULL)
    self->map_texture = texture_from_bytes (map->rgba, map->width, map->height, map->stride);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

const DermComparisonMap *
derm_compare_canvas_get_map (DermCompareCanvas *self)
{
  g_return_val_if_fail (DERM_IS_COMPARE_CANVAS (self), NULL);
  return self->map;
}

void
derm_compare_canvas_set_map_status (DermCompareCanvas *self,
                                    const char        *status)
{
  g_return_if_fail (DERM_IS_COMPARE_CANVAS (self));

  g_free (self->map_status);
  self->map_status = g_strdup (status);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
derm_compare_canvas_set_selected_region (DermCompareCanvas *self,
                                         DermRegion        *region)
{
  g_return_if_fail (DERM_IS_COMPARE_CANVAS (self));

  if (g_set_object (&self->selected_region, region))
    gtk_widget_queue_draw (GTK_WIDGET (self));
}

gboolean
derm_compare_canvas_has_picture (DermCompareCanvas *self)
{
  g_return_val_if_fail (DERM_IS_COMPARE_CANVAS (self), FALSE);
  return self->pyramids[DERM_COMPARISON_IMAGE_BEFORE].n_levels > 0 &&
         self->pyramids[DERM_COMPARISON_IMAGE_AFTER].n_levels > 0;
}

gboolean
derm_compare_canvas_has_full_resolution (DermCompareCanvas *self)
{
  g_return_val_if_fail (DERM_IS_COMPARE_CANVAS (self), FALSE);
  return self->pyramids[DERM_COMPARISON_IMAGE_BEFORE].full && self->pyramids[DERM_COMPARISON_IMAGE_AFTER].full;
}

gboolean
derm_compare_canvas_has_aligned (DermCompareCanvas *self)
{
  g_return_val_if_fail (DERM_IS_COMPARE_CANVAS (self), FALSE);
  return self->pyramids[DERM_COMPARISON_IMAGE_AFTER_ALIGNED].n_levels > 0;
}

double
derm_compare_canvas_get_drawn_level_scale (DermCompareCanvas *self)
{
  g_return_val_if_fail (DERM_IS_COMPARE_CANVAS (self), 0.0);
  return self->drawn_level_scale;
}

gboolean
derm_compare_canvas_image_to_widget (DermCompareCanvas *self,
                                     guint              pane,
                                     double             x,
                                     double             y,
                                     double            *widget_x,
                                     double            *widget_y)
{
  Pane panes[2];
  double sx, sy;

  g_return_val_if_fail (DERM_IS_COMPARE_CANVAS (self), FALSE);

  clamp_center (self);
  if (pane >= get_panes (self, panes))
    return FALSE;
  img_to_screen (self, &panes[pane], x, y, &sx, &sy);
  if (widget_x != NULL)
    *widget_x = sx;
  if (widget_y != NULL)
    *widget_y = sy;
  return TRUE;
}

void
derm_compare_canvas_add_region_rect (DermCompareCanvas *self,
                                     double             x,
                                     double             y,
                                     double             width,
                                     double             height)
{
  g_return_if_fail (DERM_IS_COMPARE_CANVAS (self));

  emit_rect (self, x, y, x + width, y + height);
}

void
derm_compare_canvas_add_region_polygon (DermCompareCanvas *self,
                                        const double      *points,
                                        guint              n_points)
{
  g_return_if_fail (DERM_IS_COMPARE_CANVAS (self));
  g_return_if_fail (points != NULL && n_points >= 3);

  g_array_set_size (self->polygon, 0);
  for (guint i = 0; i < n_points; i++)
    add_polygon_point (self, points[2 * i], points[2 * i + 1]);
  close_polygon (self);
}

void
derm_compare_canvas_add_chart_corner (DermCompareCanvas *self,
                                      double             x,
                                      double             y)
{
  double corners[8];

  g_return_if_fail (DERM_IS_COMPARE_CANVAS (self));

  if (self->tool != DERM_COMPARE_TOOL_CHART)
    return;
  add_polygon_point (self, x, y);
  if (self->polygon->len / 2 < 4)
    return;
  memcpy (corners, self->polygon->data, sizeof corners);
  g_array_set_size (self->polygon, 0);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_signal_emit (self, signals[CHART_MARKED], 0, corners);
}

guint
derm_compare_canvas_get_n_chart_corners (DermCompareCanvas *self)
{
  g_return_val_if_fail (DERM_IS_COMPARE_CANVAS (self), 0);
  return self->tool == DERM_COMPARE_TOOL_CHART ? self->polygon->len / 2 : 0;
}

void
derm_compare_canvas_add_manual_point (DermCompareCanvas *self,
                                      gboolean           on_after,
                                      double             x,
                                      double             y)
{
  GArray *points;
  int w = 0, h = 0;

  g_return_if_fail (DERM_IS_COMPARE_CANVAS (self));
  g_return_if_fail (self->comparison != NULL);

  points = self->points[on_after ? 1 : 0];
  derm_comparison_get_image_size (self->comparison,
                                  on_after ? DERM_COMPARISON_IMAGE_AFTER : DERM_COMPARISON_IMAGE_BEFORE,
                                  &w, &h);
  if (points->len / 2 >= MAX_POINTS || x < 0 || y < 0 || x > w || y > h)
    return;
  g_array_append_val (points, x);
  g_array_append_val (points, y);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_signal_emit (self, signals[POINTS_CHANGED], 0);
}

const double *
derm_compare_canvas_get_manual_points (DermCompareCanvas *self,
                                       gboolean           on_after,
                                       guint             *n_points)
{
  GArray *points;

  g_return_val_if_fail (DERM_IS_COMPARE_CANVAS (self), NULL);

  points = self->points[on_after ? 1 : 0];
  if (n_points != NULL)
    *n_points = points->len / 2;
  return (const double *) (gpointer) points->data;
}

void
derm_compare_canvas_clear_manual_points (DermCompareCanvas *self)
{
  g_return_if_fail (DERM_IS_COMPARE_CANVAS (self));

  g_array_set_size (self->points[0], 0);
  g_array_set_size (self->points[1], 0);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_signal_emit (self, signals[POINTS_CHANGED], 0);
}
