// A visitor who is not signed in has no time zone setting: the server names each time in the event's own zone and
// leaves a hidden "Your time" beside it, which this fills in the browser's zone, named, when that zone's clock reads
// differently. Without script (or without a zone) the event's time, named, stands alone: never UTC by accident.
document.addEventListener("DOMContentLoaded", () => {
  let zone;
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch (error) {
    return;
  }
  if (!zone) return;
  const lang = document.documentElement.lang || undefined;
  const full = { weekday: "short", year: "numeric", month: "short", day: "numeric", hour: "numeric",
                 minute: "2-digit", timeZoneName: "long" };
  const clock = { hour: "numeric", minute: "2-digit" };
  const format = (date, options, timeZone) => new Intl.DateTimeFormat(lang, { ...options, timeZone }).format(date);
  document.querySelectorAll("[data-local-time]").forEach((holder) => {
    const time = holder.querySelector("time[datetime]");
    if (!time) return;
    const start = new Date(time.getAttribute("datetime"));
    const eventZone = holder.dataset.eventZone;
    if (Number.isNaN(start.getTime())) return;
    try {
      const wall = { year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric" };
      if (eventZone && format(start, wall, eventZone) === format(start, wall, zone)) return;  // the same clock: once
      let text = format(start, full, zone);
      const end = time.dataset.end ? new Date(time.dataset.end) : null;
      if (end && !Number.isNaN(end.getTime())) text += " – " + format(end, clock, zone);
      time.textContent = text;
      time.dataset.zone = zone;
      holder.hidden = false;
    } catch (error) {
      // an unknown zone: leave the event's time alone
    }
  });
});
