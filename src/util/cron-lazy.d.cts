declare function loadCronParser(): typeof import('cron-parser');
export = loadCronParser;
