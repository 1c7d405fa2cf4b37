/* derm-agenda-grid.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "derm-agenda-grid"

#include "config.h"

#include <glib/gi18n.h>

#include "derm-validate.h"

#include "derm-agenda-grid.h"
#include "derm-planner-ui.h"

#define HEADER_HEIGHT 48
#define GUTTER_WIDTH  56
#define HOUR_HEIGHT   56
#define MIN_LANE_WIDTH 44
#define N_DAYS 7

typedef struct
{
  DermAppointment *appointment;
  int              day;
  guint            lane;
  guint            sub;
  guint            n_subs;
  int              start_minute;
  int              end_minute;
  GdkRGBA          color;
  /* Cached text, rebuilt only when the block's size changes */
  PangoLayout     *layout;
  int              layout_width;
  int              layout_height;
} Item;

struct _DermAgendaGrid
{
  GtkWidget        parent_instance;

  DermClinic      *clinic;
  GPtrArray       *appointments;
  GArray          *items;
  GPtrArray       *lanes;          /* char *, the room or practitioner names */
  guint            n_named_lanes;  /* the clinic's; an extra "No room" lane comes after */
  DermAgendaGroup  group;
  GDate            monday;
  GDateTime       *now;            /* NULL: the real clock */

  int              first_hour;
  int              last_hour;
  /* At least HOUR_HEIGHT; more when the view is taller than the day */
  double           hour_height;

  PangoLayout     *day_layouts[N_DAYS];
  GPtrArray       *lane_layouts;   /* PangoLayout *, one per lane */
  GPtrArray       *hour_layouts;   /* PangoLayout *, one per hour */
  int              lane_layout_width;
  /* The appointment the keyboard is on, -1 for none */
  int              focus_index;

  /* Dragging an appointment: its item and where it would land */
  int              drag_index;
  gboolean         drag_moved;
  double           drag_start_x;
  double           drag_start_y;
  double           drag_x;
  double           drag_y;
};

G_DEFINE_FINAL_TYPE (DermAgendaGrid, derm_agenda_grid, GTK_TYPE_WIDGET)

enum {
  APPOINTMENT_ACTIVATED,
  SLOT_ACTIVATED,
  APPOINTMENT_DROPPED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
item_clear (gpointer data)
{
  Item *item = data;

  g_clear_object (&item->appointment);
  g_clear_object (&item->layout);
}

static const char *
appointment_lane_key (DermAgendaGrid  *self,
                      DermAppointment *appointment)
{
  return self->group == DERM_AGENDA_GROUP_ROOM
         ? derm_appointment_get_room (appointment)
         : derm_appointment_get_practitioner (appointment);
}

static GDateTime *
grid_dup_now (DermAgendaGrid *self)
{
  return self->now != NULL ? g_date_time_to_local (self->now) : g_date_time_new_now_local ();
}

static gint64
grid_now_unix (DermAgendaGrid *self)
{
  return self->now != NULL ? g_date_time_to_unix (self->now) : g_get_real_time () / G_USEC_PER_SEC;
}

static void
flush_header_layouts (DermAgendaGrid *self)
{
  for (guint i = 0; i < N_DAYS; i++)
    g_clear_object (&self->day_layouts[i]);
  g_ptr_array_set_size (self->lane_layouts, 0);
  g_ptr_array_set_size (self->hour_layouts, 0);
  self->lane_layout_width = -1;
}

void
derm_agenda_grid_flush_cache (DermAgendaGrid *self)
{
  g_return_if_fail (DERM_IS_AGENDA_GRID (self));

  for (guint i = 0; i < self->items->len; i++)
    g_clear_object (&g_array_index (self->items, Item, i).layout);
  flush_header_layouts (self);
}

/* Lanes, the hours shown and the items, from the clinic and the appointments */
static void
rebuild (DermAgendaGrid *self)
{
  const char * const *names = NULL;
  g_autoptr (GHashTable) lane_index = g_hash_table_new (g_str_hash, g_str_equal);
  gboolean need_other = FALSE;
  int first = 24 * 60;
  int last = 0;

  g_array_set_size (self->items, 0);
  g_ptr_array_set_size (self->lanes, 0);
  flush_header_layouts (self);
  self->focus_index = -1;
  self->drag_index = -1;
  self->drag_moved = FALSE;

  if (self->clinic != NULL)
    {
      names = self->group == DERM_AGENDA_GROUP_ROOM
              ? derm_clinic_get_rooms (self->clinic)
              : derm_clinic_get_practitioners (self->clinic);

      for (GDateWeekday day = G_DATE_MONDAY; day <= G_DATE_SUNDAY; day++)
        {
          guint n_spans = 0;
          const DermOpeningSpan *spans = derm_clinic_get_hours (self->clinic, day, &n_spans);

          for (guint i = 0; i < n_spans; i++)
            {
              first = MIN (first, spans[i].open);
              last = MAX (last, spans[i].close);
            }
        }
    }

  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    {
      if (g_hash_table_contains (lane_index, names[i]))
        continue;
      g_hash_table_insert (lane_index, (gpointer) names[i], GUINT_TO_POINTER (self->lanes->len));
      g_ptr_array_add (self->lanes, g_strdup (names[i]));
    }

  if (self->appointments != NULL && g_date_valid (&self->monday))
    {
      for (guint i = 0; i < self->appointments->len; i++)
        {
          DermAppointment *appointment = g_ptr_array_index (self->appointments, i);
          const char *local = derm_appointment_get_start_local (appointment);
          const char *key = appointment_lane_key (self, appointment);
          unsigned hour, minute;
          gpointer lane;
          GDate date;
          Item item = { 0 };

          if (local == NULL || strlen (local) < 16 ||
              sscanf (local + 11, "%2u:%2u", &hour, &minute) != 2 ||
              !derm_appointment_get_local_date (appointment, &date))
            continue;

          item.day = (int) g_date_days_between (&self->monday, &date);
          if (item.day < 0 || item.day >= N_DAYS)
            continue;

          if (key != NULL && g_hash_table_lookup_extended (lane_index, key, NULL, &lane))
            item.lane = GPOINTER_TO_UINT (lane);
          else
            {
              item.lane = G_MAXUINT;
              need_other = TRUE;
            }

          item.appointment = g_object_ref (appointment);
          item.start_minute = (int) (hour * 60 + minute);
          item.end_minute = MIN (24 * 60, item.start_minute +
                                 (int) MAX (derm_appointment_get_duration_minutes (appointment), 5u));
          derm_planner_ui_status_color (appointment, &item.color);
          g_array_append_val (self->items, item);

          first = MIN (first, item.start_minute);
          last = MAX (last, item.end_minute);
        }
    }

  self->n_named_lanes = self->lanes->len;
  /* Appointments with no lane of their own share one at the end */
  if (need_other || self->lanes->len == 0)
    {
      guint other = self->lanes->len;

      g_ptr_array_add (self->lanes,
                       g_strdup (self->group == DERM_AGENDA_GROUP_ROOM ? _("No room") : _("Anyone")));
      for (guint i = 0; i < self->items->len; i++)
        if (g_array_index (self->items, Item, i).lane == G_MAXUINT)
          g_array_index (self->items, Item, i).lane = other;
    }

  if (first >= last)
    {
      first = 9 * 60;
      last = 18 * 60;
    }
  self->first_hour = first / 60;
  self->last_hour = MIN (24, (last + 59) / 60);

  /* Side by side where appointments of a lane overlap (a cancelled one
   * and the one booked in its place, say): each takes the first free
   * column of its day and lane. */
  for (guint i = 0; i < self->items->len; i++)
    {
      Item *item = &g_array_index (self->items, Item, i);
      guint64 taken = 0;

      for (guint j = 0; j < i; j++)
        {
          Item *other = &g_array_index (self->items, Item, j);

          if (other->day == item->day && other->lane == item->lane &&
              other->start_minute < item->end_minute && item->start_minute < other->end_minute &&
              other->sub < 64)
            taken |= G_GUINT64_CONSTANT (1) << other->sub;
        }
      while (item->sub < 63 && (taken & (G_GUINT64_CONSTANT (1) << item->sub)) != 0)
        item->sub++;
    }
  for (guint i = 0; i < self->items->len; i++)
    {
      Item *item = &g_array_index (self->items, Item, i);
      guint n = item->sub + 1;

      for (guint j = 0; j < self->items->len; j++)
        {
          Item *other = &g_array_index (self->items, Item, j);

          if (other->day == item->day && other->lane == item->lane &&
              other->start_minute < item->end_minute && item->start_minute < other->end_minute)
            n = MAX (n, other->sub + 1);
        }
      item->n_subs = n;
    }

  gtk_widget_queue_resize (GTK_WIDGET (self));
}

static double
day_width (DermAgendaGrid *self,
           int             width)
{
  return MAX (0, width - GUTTER_WIDTH) / (double) N_DAYS;
}

static double
minute_y (DermAgendaGrid *self,
          int             minute)
{
  return HEADER_HEIGHT + (minute - self->first_hour * 60) * (self->hour_height / 60.0);
}

static void
item_rect (DermAgendaGrid  *self,
           const Item      *item,
           int              width,
           graphene_rect_t *rect)
{
  double dw = day_width (self, width);
  double lw = dw / MAX (self->lanes->len, 1u);
  double sw = lw / MAX (item->n_subs, 1u);
  double x = GUTTER_WIDTH + item->day * dw + item->lane * lw + item->sub * sw;
  double y = minute_y (self, item->start_minute);
  double h = (item->end_minute - item->start_minute) * (self->hour_height / 60.0);

  graphene_rect_init (rect, floor (x) + 1, floor (y) + 1, MAX (floor (sw) - 2, 1), MAX (floor (h) - 2, 1));
}

static PangoLayout *
make_item_layout (DermAgendaGrid *self,
                  Item           *item,
                  int             width,
                  int             height)
{
  DermAppointment *appointment = item->appointment;
  const char *name = derm_appointment_get_client_name (appointment);
  const char *detail = self->group == DERM_AGENDA_GROUP_ROOM
                       ? derm_appointment_get_practitioner (appointment)
                       : derm_appointment_get_room (appointment);
  gboolean struck = derm_appointment_get_status (appointment) == DERM_APPOINTMENT_CANCELLED ||
                    derm_appointment_get_status (appointment) == DERM_APPOINTMENT_NO_SHOW;
  g_autofree char *count = NULL;
  g_autofree char *body = NULL;
  g_autofree char *markup = NULL;
  PangoLayout *layout;

  if (derm_appointment_get_kind (appointment) == DERM_APPOINTMENT_FOLLOW_UP_PHOTO)
    count = g_strdup (_("Photo"));
  else if (derm_appointment_get_kind (appointment) == DERM_APPOINTMENT_CONSULTATION)
    count = g_strdup (_("Consultation"));
  else
    count = g_strdup_printf ("%u/%u", derm_appointment_get_session_index (appointment),
                             derm_appointment_get_session_count (appointment));

  body = g_markup_printf_escaped ("%s<b>%s</b>\n%s%s%s%s%s",
                                    derm_planner_ui_needs_attention (appointment) ? "⚠ " : "",
                                    name != NULL ? name : "",
                                    count,
                                    detail != NULL && *detail != '\0' ? " · " : "",
                                    detail != NULL ? detail : "",
                                    derm_appointment_get_screening_need (appointment) == DERM_SCREENING_NEED_FIRST
                                      ? _(" · screen first")
                                      : derm_appointment_get_screening_need (appointment) == DERM_SCREENING_NEED_RESCREEN
                                          ? _(" · re-screen") : "",
                                    derm_planner_ui_needs_outcome (appointment, grid_now_unix (self)) ? _(" · needs outcome")
                                      : derm_planner_ui_needs_attention (appointment) ? _(" · needs attention") : "");
  markup = g_strconcat ("<span size='small'", struck ? " strikethrough='true'" : "", ">", body, "</span>", NULL);

  layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), NULL);
  pango_layout_set_markup (layout, markup, -1);
  pango_layout_set_width (layout, width * PANGO_SCALE);
  pango_layout_set_height (layout, height * PANGO_SCALE);
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);

  return layout;
}

static PangoLayout *
make_label_layout (DermAgendaGrid *self,
                   const char     *markup,
                   int             width)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), NULL);

  pango_layout_set_markup (layout, markup, -1);
  pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
  if (width > 0)
    {
      pango_layout_set_width (layout, width * PANGO_SCALE);
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
    }

  return layout;
}

static void
ensure_header_layouts (DermAgendaGrid *self,
                       int             width)
{
  double dw = day_width (self, width);
  int lane_width = (int) (dw / MAX (self->lanes->len, 1u)) - 4;

  if (self->day_layouts[0] == NULL && g_date_valid (&self->monday))
    {
      for (guint i = 0; i < N_DAYS; i++)
        {
          GDate date = self->monday;
          g_autoptr (GDateTime) dt = NULL;
          g_autofree char *text = NULL;
          g_autofree char *markup = NULL;

          g_date_add_days (&date, i);
          dt = g_date_time_new_local (g_date_get_year (&date), g_date_get_month (&date),
                                      g_date_get_day (&date), 12, 0, 0);
          /* Translators: a day heading of the week agenda, "Tue 3" */
          text = g_date_time_format (dt, _("%a %-d"));
          markup = g_markup_printf_escaped ("<b>%s</b>", text);
          self->day_layouts[i] = make_label_layout (self, markup, (int) dw - 4);
        }
    }

  if (self->lane_layout_width != lane_width)
    {
      g_ptr_array_set_size (self->lane_layouts, 0);
      for (guint i = 0; i < self->lanes->len; i++)
        {
          g_autofree char *markup = g_markup_printf_escaped ("<span size='small'>%s</span>",
                                                             (char *) g_ptr_array_index (self->lanes, i));

          g_ptr_array_add (self->lane_layouts, make_label_layout (self, markup, MAX (lane_width, 8)));
        }
      self->lane_layout_width = lane_width;
    }

  if (self->hour_layouts->len == 0)
    {
      for (int hour = self->first_hour; hour <= self->last_hour; hour++)
        {
          g_autofree char *markup = g_strdup_printf ("<span size='small'>%02d:00</span>", hour);

          g_ptr_array_add (self->hour_layouts, make_label_layout (self, markup, -1));
        }
    }
}

static GdkRGBA
with_alpha (const GdkRGBA *color,
            float          alpha)
{
  GdkRGBA out = *color;

  out.alpha *= alpha;
  return out;
}

static void
derm_agenda_grid_snapshot (GtkWidget   *widget,
                           GtkSnapshot *snapshot)
{
  DermAgendaGrid *self = DERM_AGENDA_GRID (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  double dw = day_width (self, width);
  guint n_lanes = MAX (self->lanes->len, 1u);
  double lw = dw / n_lanes;
  int bottom = (int) minute_y (self, self->last_hour * 60);
  gboolean dark = adw_style_manager_get_dark (adw_style_manager_get_default ());
  GdkRGBA fg, line, faint, shade, accent, today_bg;
  GDate today;
  int today_index = -1;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
  G_GNUC_END_IGNORE_DEPRECATIONS
  line = with_alpha (&fg, 0.15f);
  faint = with_alpha (&fg, 0.07f);
  shade = with_alpha (&fg, dark ? 0.06f : 0.045f);
  gdk_rgba_parse (&accent, dark ? "#78aeed" : "#1c71d8");
  today_bg = with_alpha (&accent, 0.06f);

  ensure_header_layouts (self, width);

  {
    g_autoptr (GDateTime) now = grid_dup_now (self);

    derm_date_set_date_time (&today, now);
  }
  if (g_date_valid (&self->monday))
    {
      gint64 days = g_date_days_between (&self->monday, &today);

      if (days >= 0 && days < N_DAYS)
        today_index = (int) days;
    }

  /* Closed hours and days, then today */
  for (int day = 0; day < N_DAYS && self->clinic != NULL && g_date_valid (&self->monday); day++)
    {
      GDate date = self->monday;
      double x = GUTTER_WIDTH + day * dw;
      guint n_spans = 0;
      const DermOpeningSpan *spans;
      int open_from = self->first_hour * 60;

      g_date_add_days (&date, day);
      if (!derm_clinic_is_open_on (self->clinic, &date))
        {
          gtk_snapshot_append_color (snapshot, &shade,
                                     &GRAPHENE_RECT_INIT (x, HEADER_HEIGHT, dw, bottom - HEADER_HEIGHT));
          continue;
        }

      spans = derm_clinic_get_hours (self->clinic, g_date_get_weekday (&date), &n_spans);
      for (guint i = 0; i <= n_spans; i++)
        {
          int until = i < n_spans ? spans[i].open : self->last_hour * 60;

          if (until > open_from)
            {
              double y0 = minute_y (self, open_from);
              double y1 = minute_y (self, until);

              gtk_snapshot_append_color (snapshot, &shade, &GRAPHENE_RECT_INIT (x, y0, dw, y1 - y0));
            }
          if (i < n_spans)
            open_from = MAX (open_from, spans[i].close);
        }
    }

  if (today_index >= 0)
    gtk_snapshot_append_color (snapshot, &today_bg,
                               &GRAPHENE_RECT_INIT (GUTTER_WIDTH + today_index * dw, 0, dw, bottom));

  /* Hour lines and hour labels */
  for (int hour = self->first_hour; hour <= self->last_hour; hour++)
    {
      double y = floor (minute_y (self, hour * 60));
      guint index = (guint) (hour - self->first_hour);

      gtk_snapshot_append_color (snapshot, &line, &GRAPHENE_RECT_INIT (GUTTER_WIDTH, y, width - GUTTER_WIDTH, 1));
      if (hour < self->last_hour)
        gtk_snapshot_append_color (snapshot, &faint,
                                   &GRAPHENE_RECT_INIT (GUTTER_WIDTH, floor (y + self->hour_height / 2),
                                                        width - GUTTER_WIDTH, 1));

      if (index < self->hour_layouts->len && hour < self->last_hour)
        {
          PangoLayout *layout = g_ptr_array_index (self->hour_layouts, index);
          GdkRGBA dim = with_alpha (&fg, 0.6f);

          gtk_snapshot_save (snapshot);
          gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (8, y + 2));
          gtk_snapshot_append_layout (snapshot, layout, &dim);
          gtk_snapshot_restore (snapshot);
        }
    }

  /* Day and lane columns with their headings */
  for (int day = 0; day < N_DAYS; day++)
    {
      double x = GUTTER_WIDTH + day * dw;
      GdkRGBA heading = day == today_index ? accent : fg;

      gtk_snapshot_append_color (snapshot, &line, &GRAPHENE_RECT_INIT (floor (x), 0, 1, bottom));

      for (guint lane = 1; lane < n_lanes; lane++)
        gtk_snapshot_append_color (snapshot, &faint,
                                   &GRAPHENE_RECT_INIT (floor (x + lane * lw), 26, 1, bottom - 26));

      if (self->day_layouts[day] != NULL)
        {
          gtk_snapshot_save (snapshot);
          gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x + 2, 6));
          gtk_snapshot_append_layout (snapshot, self->day_layouts[day], &heading);
          gtk_snapshot_restore (snapshot);
        }

      for (guint lane = 0; lane < self->lane_layouts->len; lane++)
        {
          GdkRGBA dim = with_alpha (&fg, 0.65f);

          gtk_snapshot_save (snapshot);
          gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x + lane * lw + 2, 27));
          gtk_snapshot_append_layout (snapshot, g_ptr_array_index (self->lane_layouts, lane), &dim);
          gtk_snapshot_restore (snapshot);
        }
    }
  gtk_snapshot_append_color (snapshot, &line, &GRAPHENE_RECT_INIT (GUTTER_WIDTH, HEADER_HEIGHT - 1, width - GUTTER_WIDTH, 1));

  /* The appointments */
  for (guint i = 0; i < self->items->len; i++)
    {
      Item *item = &g_array_index (self->items, Item, i);
      DermAppointmentStatus status = derm_appointment_get_status (item->appointment);
      gboolean faded = status == DERM_APPOINTMENT_CANCELLED || status == DERM_APPOINTMENT_NO_SHOW;
      graphene_rect_t rect;
      GdkRGBA fill = with_alpha (&item->color, faded ? 0.12f : (dark ? 0.35f : 0.22f));
      GdkRGBA text = faded ? with_alpha (&fg, 0.6f) : fg;
      int text_width;
      int text_height;

      item_rect (self, item, width, &rect);
      gtk_snapshot_append_color (snapshot, &fill, &rect);
      gtk_snapshot_append_color (snapshot, &item->color,
                                 &GRAPHENE_RECT_INIT (rect.origin.x, rect.origin.y, 3, rect.size.height));
      if (derm_planner_ui_needs_outcome (item->appointment, grid_now_unix (self)))
        {
          /* Over and still booked: a warning stripe along the top */
          GdkRGBA warning;

          gdk_rgba_parse (&warning, dark ? "#f8e45c" : "#e5a50a");
          gtk_snapshot_append_color (snapshot, &warning,
                                     &GRAPHENE_RECT_INIT (rect.origin.x, rect.origin.y, rect.size.width, 3));
        }
      else if (derm_planner_ui_needs_attention (item->appointment))
        {
          /* Breaks a rule now (re-validated when read): a red frame,
           * the "⚠" and the reason in the text and the tooltip */
          GskRoundedRect outline;
          GdkRGBA red;
          const float widths[4] = { 2, 2, 2, 2 };

          gdk_rgba_parse (&red, dark ? "#ff7b63" : "#c01c28");
          {
            const GdkRGBA colors[4] = { red, red, red, red };

            gsk_rounded_rect_init_from_rect (&outline, &rect, 0);
            gtk_snapshot_append_border (snapshot, &outline, widths, colors);
          }
        }

      text_width = (int) rect.size.width - 7;
      text_height = (int) rect.size.height - 2;
      if (text_width < 6 || text_height < 8)
        continue;

      if (item->layout == NULL || item->layout_width != text_width || item->layout_height != text_height)
        {
          g_clear_object (&item->layout);
          item->layout = make_item_layout (self, item, text_width, text_height);
          item->layout_width = text_width;
          item->layout_height = text_height;
        }

      gtk_snapshot_push_clip (snapshot, &rect);
      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (rect.origin.x + 5, rect.origin.y + 1));
      gtk_snapshot_append_layout (snapshot, item->layout, &text);
      gtk_snapshot_restore (snapshot);
      gtk_snapshot_pop (snapshot);
    }

  /* Where a dragged appointment would land */
  if (self->drag_index >= 0 && self->drag_moved && (guint) self->drag_index < self->items->len)
    {
      Item *item = &g_array_index (self->items, Item, self->drag_index);
      int minute;
      GDate day;

      if (derm_agenda_grid_get_slot_at (self, self->drag_x, self->drag_y, &day, &minute, NULL))
        {
          Item ghost = *item;
          graphene_rect_t rect;
          GskRoundedRect outline;
          const float widths[4] = { 2, 2, 2, 2 };
          const GdkRGBA colors[4] = { accent, accent, accent, accent };
          GdkRGBA fill = with_alpha (&accent, 0.18f);

          ghost.day = (int) g_date_days_between (&self->monday, &day);
          ghost.lane = MIN ((guint) ((self->drag_x - GUTTER_WIDTH - ghost.day * dw) / lw), n_lanes - 1);
          ghost.sub = 0;
          ghost.n_subs = 1;
          ghost.end_minute = minute + (item->end_minute - item->start_minute);
          ghost.start_minute = minute;
          item_rect (self, &ghost, width, &rect);
          gtk_snapshot_append_color (snapshot, &fill, &rect);
          gsk_rounded_rect_init_from_rect (&outline, &rect, 0);
          gtk_snapshot_append_border (snapshot, &outline, widths, colors);
        }
    }

  /* The keyboard's appointment */
  if (gtk_widget_has_focus (widget) && self->focus_index >= 0 && (guint) self->focus_index < self->items->len)
    {
      GskRoundedRect outline;
      graphene_rect_t rect;
      const float widths[4] = { 2, 2, 2, 2 };
      const GdkRGBA colors[4] = { accent, accent, accent, accent };

      item_rect (self, &g_array_index (self->items, Item, self->focus_index), width, &rect);
      gsk_rounded_rect_init_from_rect (&outline, &rect, 0);
      gtk_snapshot_append_border (snapshot, &outline, widths, colors);
    }

  /* Now, on today */
  if (today_index >= 0)
    {
      g_autoptr (GDateTime) now = grid_dup_now (self);
      int minute = g_date_time_get_hour (now) * 60 + g_date_time_get_minute (now);

      if (minute >= self->first_hour * 60 && minute <= self->last_hour * 60)
        {
          GdkRGBA red;

          gdk_rgba_parse (&red, "#e01b24");
          gtk_snapshot_append_color (snapshot, &red,
                                     &GRAPHENE_RECT_INIT (GUTTER_WIDTH + today_index * dw,
                                                          floor (minute_y (self, minute)), dw, 2));
        }
    }

  (void) height;
}

static void
derm_agenda_grid_measure (GtkWidget      *widget,
                          GtkOrientation  orientation,
                          int             for_size,
                          int            *minimum,
                          int            *natural,
                          int            *minimum_baseline,
                          int            *natural_baseline)
{
  DermAgendaGrid *self = DERM_AGENDA_GRID (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = GUTTER_WIDTH + N_DAYS * (int) MAX (self->lanes->len, 1u) * MIN_LANE_WIDTH;
      *natural = MAX (*minimum, GUTTER_WIDTH + N_DAYS * 150);
    }
  else
    {
      *minimum = *natural = HEADER_HEIGHT + (self->last_hour - self->first_hour) * HOUR_HEIGHT + 1;
    }
}

DermAppointment *
derm_agenda_grid_get_appointment_at (DermAgendaGrid  *self,
                                     double           x,
                                     double           y,
                                     graphene_rect_t *block)
{
  int width;

  g_return_val_if_fail (DERM_IS_AGENDA_GRID (self), NULL);

  width = gtk_widget_get_width (GTK_WIDGET (self));

  /* Last drawn is on top */
  for (guint i = self->items->len; i > 0; i--)
    {
      Item *item = &g_array_index (self->items, Item, i - 1);
      graphene_rect_t rect;

      item_rect (self, item, width, &rect);
      if (graphene_rect_contains_point (&rect, &GRAPHENE_POINT_INIT (x, y)))
        {
          if (block != NULL)
            *block = rect;
          return item->appointment;
        }
    }

  return NULL;
}

gboolean
derm_agenda_grid_get_block (DermAgendaGrid  *self,
                            gint64           id,
                            graphene_rect_t *block)
{
  g_return_val_if_fail (DERM_IS_AGENDA_GRID (self), FALSE);

  for (guint i = 0; i < self->items->len; i++)
    {
      Item *item = &g_array_index (self->items, Item, i);

      if (derm_appointment_get_id (item->appointment) == id)
        {
          item_rect (self, item, gtk_widget_get_width (GTK_WIDGET (self)), block);
          return TRUE;
        }
    }

  return FALSE;
}

gboolean
derm_agenda_grid_get_slot_at (DermAgendaGrid *self,
                              double          x,
                              double          y,
                              GDate          *day,
                              int            *minute,
                              const char    **lane)
{
  int width;
  double dw, lw;
  int d, l, m, step;

  g_return_val_if_fail (DERM_IS_AGENDA_GRID (self), FALSE);

  width = gtk_widget_get_width (GTK_WIDGET (self));
  dw = day_width (self, width);
  if (!g_date_valid (&self->monday) || dw <= 0 || x < GUTTER_WIDTH || y < HEADER_HEIGHT)
    return FALSE;

  d = (int) ((x - GUTTER_WIDTH) / dw);
  if (d < 0 || d >= N_DAYS)
    return FALSE;
  lw = dw / MAX (self->lanes->len, 1u);
  l = (int) ((x - GUTTER_WIDTH - d * dw) / lw);
  l = CLAMP (l, 0, (int) MAX (self->lanes->len, 1u) - 1);

  m = self->first_hour * 60 + (int) ((y - HEADER_HEIGHT) / (self->hour_height / 60.0));
  if (m < self->first_hour * 60 || m >= self->last_hour * 60)
    return FALSE;
  /* Down to the clinic's slot step */
  step = self->clinic != NULL ? (int) derm_clinic_get_slot_step (self->clinic) : 15;
  if (step > 1)
    m -= m % step;

  if (day != NULL)
    {
      *day = self->monday;
      g_date_add_days (day, (guint) d);
    }
  if (minute != NULL)
    *minute = m;
  if (lane != NULL)
    *lane = (guint) l < self->n_named_lanes ? g_ptr_array_index (self->lanes, l) : NULL;
  return TRUE;
}

static void
emit_slot (DermAgendaGrid *self,
           guint           signal,
           DermAppointment *appointment,
           double          x,
           double          y)
{
  g_autofree char *iso = NULL;
  const char *lane = NULL;
  int minute;
  GDate day;

  if (!derm_agenda_grid_get_slot_at (self, x, y, &day, &minute, &lane))
    return;
  iso = derm_date_format (&day);
  if (appointment != NULL)
    g_signal_emit (self, signals[signal], 0, appointment, iso, minute, lane);
  else
    g_signal_emit (self, signals[signal], 0, iso, minute, lane);
}

static void
on_released (DermAgendaGrid *self,
             int             n_press,
             double          x,
             double          y,
             GtkGestureClick *gesture)
{
  DermAppointment *appointment;

  if (self->drag_moved)
    return;

  appointment = derm_agenda_grid_get_appointment_at (self, x, y, NULL);
  if (appointment != NULL)
    g_signal_emit (self, signals[APPOINTMENT_ACTIVATED], 0, appointment);
  else
    /* A free slot: book there */
    emit_slot (self, SLOT_ACTIVATED, NULL, x, y);
}

/* Dragging a booked appointment moves it, through the re-plan preview */

static void
on_drag_begin (DermAgendaGrid *self,
               double          x,
               double          y,
               GtkGestureDrag *gesture)
{
  self->drag_index = -1;
  self->drag_moved = FALSE;
  self->drag_start_x = x;
  self->drag_start_y = y;

  for (guint i = self->items->len; i > 0; i--)
    {
      Item *item = &g_array_index (self->items, Item, i - 1);
      graphene_rect_t rect;

      item_rect (self, item, gtk_widget_get_width (GTK_WIDGET (self)), &rect);
      if (graphene_rect_contains_point (&rect, &GRAPHENE_POINT_INIT (x, y)))
        {
          if (derm_appointment_get_status (item->appointment) == DERM_APPOINTMENT_BOOKED)
            self->drag_index = (int) (i - 1);
          break;
        }
    }
  if (self->drag_index < 0)
    gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
}

static void
on_drag_update (DermAgendaGrid *self,
                double          dx,
                double          dy,
                GtkGestureDrag *gesture)
{
  double x = self->drag_start_x, y = self->drag_start_y;

  if (self->drag_index < 0)
    return;
  if (!self->drag_moved && ABS (dx) < 8 && ABS (dy) < 8)
    return;
  if (!self->drag_moved)
    gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  self->drag_moved = TRUE;
  self->drag_x = x + dx;
  self->drag_y = y + dy;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
on_drag_end (DermAgendaGrid *self,
             double          dx,
             double          dy,
             GtkGestureDrag *gesture)
{
  g_autoptr (DermAppointment) appointment = NULL;
  double x = self->drag_start_x, y = self->drag_start_y;

  if (self->drag_index < 0 || !self->drag_moved)
    {
      self->drag_index = -1;
      return;
    }
  appointment = g_object_ref (g_array_index (self->items, Item, self->drag_index).appointment);
  self->drag_index = -1;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  emit_slot (self, APPOINTMENT_DROPPED, appointment, x + dx, y + dy);
  self->drag_moved = FALSE;
}

static gboolean
on_key_pressed (DermAgendaGrid        *self,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                GtkEventControllerKey *controller)
{
  int n = (int) self->items->len;

  if (n == 0)
    return FALSE;

  switch (keyval)
    {
    case GDK_KEY_Right:
    case GDK_KEY_Down:
      self->focus_index = self->focus_index < 0 ? 0 : MIN (self->focus_index + 1, n - 1);
      break;

    case GDK_KEY_Left:
    case GDK_KEY_Up:
      self->focus_index = self->focus_index < 0 ? 0 : MAX (self->focus_index - 1, 0);
      break;

    case GDK_KEY_Home:
      self->focus_index = 0;
      break;

    case GDK_KEY_End:
      self->focus_index = n - 1;
      break;

    case GDK_KEY_Return:
    case GDK_KEY_KP_Enter:
    case GDK_KEY_space:
      if (self->focus_index < 0)
        return FALSE;
      g_signal_emit (self, signals[APPOINTMENT_ACTIVATED], 0,
                     g_array_index (self->items, Item, self->focus_index).appointment);
      return TRUE;

    default:
      return FALSE;
    }

  gtk_widget_queue_draw (GTK_WIDGET (self));
  return TRUE;
}

static gboolean
derm_agenda_grid_query_tooltip (GtkWidget  *widget,
                                int         x,
                                int         y,
                                gboolean    keyboard,
                                GtkTooltip *tooltip)
{
  DermAppointment *appointment;
  g_autofree char *title = NULL;
  g_autofree char *when = NULL;
  g_autofree char *text = NULL;
  graphene_rect_t rect;

  appointment = derm_agenda_grid_get_appointment_at (DERM_AGENDA_GRID (widget), x, y, &rect);
  if (appointment == NULL)
    return FALSE;

  title = derm_appointment_dup_title (appointment);
  when = derm_planner_ui_format_appointment_time (appointment);
  if (derm_planner_ui_needs_attention (appointment))
    /* Translators: an appointment, when, then what rule it breaks now */
    text = g_strdup_printf (_("%s\n%s\nNeeds attention: %s"), title, when,
                            derm_appointment_get_problem_message (appointment));
  else
    text = g_strdup_printf ("%s\n%s", title, when);
  gtk_tooltip_set_text (tooltip, text);
  gtk_tooltip_set_tip_area (tooltip, &(GdkRectangle) { rect.origin.x, rect.origin.y,
                                                       rect.size.width, rect.size.height });
  return TRUE;
}

static void
derm_agenda_grid_size_allocate (GtkWidget *widget,
                                int        width,
                                int        height,
                                int        baseline)
{
  DermAgendaGrid *self = DERM_AGENDA_GRID (widget);
  int hours = MAX (self->last_hour - self->first_hour, 1);

  self->hour_height = MAX (HOUR_HEIGHT, (height - HEADER_HEIGHT - 1) / (double) hours);

  /* The only children are the popovers shown over a block */
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_POPOVER (child))
      gtk_popover_present (GTK_POPOVER (child));
}

static void
derm_agenda_grid_css_changed (GtkWidget         *widget,
                              GtkCssStyleChange *change)
{
  GTK_WIDGET_CLASS (derm_agenda_grid_parent_class)->css_changed (widget, change);

  /* Fonts may have changed */
  derm_agenda_grid_flush_cache (DERM_AGENDA_GRID (widget));
  gtk_widget_queue_draw (widget);
}

static void
derm_agenda_grid_dispose (GObject *object)
{
  DermAgendaGrid *self = DERM_AGENDA_GRID (object);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  for (guint i = 0; i < N_DAYS; i++)
    g_clear_object (&self->day_layouts[i]);
  g_clear_pointer (&self->items, g_array_unref);
  g_clear_pointer (&self->lanes, g_ptr_array_unref);
  g_clear_pointer (&self->lane_layouts, g_ptr_array_unref);
  g_clear_pointer (&self->hour_layouts, g_ptr_array_unref);
  g_clear_pointer (&self->appointments, g_ptr_array_unref);
  g_clear_object (&self->clinic);
  g_clear_pointer (&self->now, g_date_time_unref);

  G_OBJECT_CLASS (derm_agenda_grid_parent_class)->dispose (object);
}

static void
derm_agenda_grid_class_init (DermAgendaGridClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = derm_agenda_grid_dispose;

  widget_class->snapshot = derm_agenda_grid_snapshot;
  widget_class->measure = derm_agenda_grid_measure;
  widget_class->size_allocate = derm_agenda_grid_size_allocate;
  widget_class->query_tooltip = derm_agenda_grid_query_tooltip;
  widget_class->css_changed = derm_agenda_grid_css_changed;

  /**
   * DermAgendaGrid::appointment-activated:
   * @appointment: the appointment clicked
   */
  signals[APPOINTMENT_ACTIVATED] =
    g_signal_new ("appointment-activated",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, DERM_TYPE_APPOINTMENT);

  /**
   * DermAgendaGrid::slot-activated:
   * @date: the day clicked, "YYYY-MM-DD"
   * @minute: the start clicked, minutes since midnight on the slot step
   * @lane: the room or practitioner of the lane, or NULL
   *
   * A click on a free part of the calendar: book there.
   */
  signals[SLOT_ACTIVATED] =
    g_signal_new ("slot-activated",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_INT, G_TYPE_STRING);

  /**
   * DermAgendaGrid::appointment-dropped:
   * @appointment: the booked appointment dragged
   * @date: the day it was dropped on, "YYYY-MM-DD"
   * @minute: the start it was dropped at, on the slot step
   * @lane: the room or practitioner of the lane, or NULL
   */
  signals[APPOINTMENT_DROPPED] =
    g_signal_new ("appointment-dropped",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 4, DERM_TYPE_APPOINTMENT, G_TYPE_STRING, G_TYPE_INT, G_TYPE_STRING);

  gtk_widget_class_set_css_name (widget_class, "dermagendagrid");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GRID);
}

static void
derm_agenda_grid_init (DermAgendaGrid *self)
{
  GtkGesture *click = gtk_gesture_click_new ();
  GtkGesture *drag;
  GtkEventController *key;
  GtkEventController *focus;

  self->items = g_array_new (FALSE, TRUE, sizeof (Item));
  g_array_set_clear_func (self->items, item_clear);
  self->lanes = g_ptr_array_new_with_free_func (g_free);
  self->lane_layouts = g_ptr_array_new_with_free_func (g_object_unref);
  self->hour_layouts = g_ptr_array_new_with_free_func (g_object_unref);
  self->lane_layout_width = -1;
  self->first_hour = 9;
  self->last_hour = 18;
  self->hour_height = HOUR_HEIGHT;
  g_date_clear (&self->monday, 1);

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_PRIMARY);
  g_signal_connect_swapped (click, "released", G_CALLBACK (on_released), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));

  drag = gtk_gesture_drag_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (drag), GDK_BUTTON_PRIMARY);
  g_signal_connect_swapped (drag, "drag-begin", G_CALLBACK (on_drag_begin), self);
  g_signal_connect_swapped (drag, "drag-update", G_CALLBACK (on_drag_update), self);
  g_signal_connect_swapped (drag, "drag-end", G_CALLBACK (on_drag_end), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));
  self->drag_index = -1;

  /* Arrows walk the appointments in time order, Enter opens one */
  key = gtk_event_controller_key_new ();
  g_signal_connect_swapped (key, "key-pressed", G_CALLBACK (on_key_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), key);
  focus = gtk_event_controller_focus_new ();
  g_signal_connect_swapped (focus, "enter", G_CALLBACK (gtk_widget_queue_draw), self);
  g_signal_connect_swapped (focus, "leave", G_CALLBACK (gtk_widget_queue_draw), self);
  gtk_widget_add_controller (GTK_WIDGET (self), focus);
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  self->focus_index = -1;

  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
}

GtkWidget *
derm_agenda_grid_new (void)
{
  return g_object_new (DERM_TYPE_AGENDA_GRID, NULL);
}

void
derm_agenda_grid_set_clinic (DermAgendaGrid *self,
                             DermClinic     *clinic)
{
  g_return_if_fail (DERM_IS_AGENDA_GRID (self));

  g_set_object (&self->clinic, clinic);
  rebuild (self);
}

void
derm_agenda_grid_set_week (DermAgendaGrid *self,
                           const GDate    *monday)
{
  g_return_if_fail (DERM_IS_AGENDA_GRID (self));

  self->monday = *monday;
  rebuild (self);
}

void
derm_agenda_grid_get_week (DermAgendaGrid *self,
                           GDate          *monday)
{
  g_return_if_fail (DERM_IS_AGENDA_GRID (self));

  *monday = self->monday;
}

void
derm_agenda_grid_set_appointments (DermAgendaGrid *self,
                                   GPtrArray      *appointments)
{
  g_return_if_fail (DERM_IS_AGENDA_GRID (self));

  if (appointments != NULL)
    g_ptr_array_ref (appointments);
  g_clear_pointer (&self->appointments, g_ptr_array_unref);
  self->appointments = appointments;
  rebuild (self);
}

DermAgendaGroup
derm_agenda_grid_get_group (DermAgendaGrid *self)
{
  g_return_val_if_fail (DERM_IS_AGENDA_GRID (self), DERM_AGENDA_GROUP_ROOM);

  return self->group;
}

void
derm_agenda_grid_set_now (DermAgendaGrid *self,
                          GDateTime      *now)
{
  g_return_if_fail (DERM_IS_AGENDA_GRID (self));

  g_clear_pointer (&self->now, g_date_time_unref);
  if (now != NULL)
    self->now = g_date_time_ref (now);
  derm_agenda_grid_flush_cache (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
derm_agenda_grid_set_group (DermAgendaGrid  *self,
                            DermAgendaGroup  group)
{
  g_return_if_fail (DERM_IS_AGENDA_GRID (self));

  if (self->group == group)
    return;

  self->group = group;
  rebuild (self);
}
