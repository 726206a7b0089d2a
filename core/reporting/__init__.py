"""The reporting calendar (报表与会议日历): obligations that domain plugins
declare and that every owing org unit fulfils period by period."""
