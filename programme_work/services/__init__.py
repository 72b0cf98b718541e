"""Services of the work floor's process work: admission prerequisites, process plans,
project groups, meetings and attendance. Views, tasks and the demo call these."""
