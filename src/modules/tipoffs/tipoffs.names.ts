/**
 * The tip-off statuses and their Chinese names: the one list the server (schemas, timelines,
 * Open311, statistics) and the console's 随手拍地图 page both read.
 *
 * This file is the one server file the H5 bundle imports at run time (every other H5 import of
 * server code is `import type`). It is safe to bundle because it imports nothing and holds only
 * constants; keep it that way. The page needs the names before any data arrive (the status filter),
 * so they are not sent in an API answer.
 */
export const tipoffStatuses = ['submitted', 'accepted', 'assigned', 'rectified', 'closed', 'rejected', 'merged'] as const;
export type TipoffStatus = (typeof tipoffStatuses)[number];

export const statusNames: Record<TipoffStatus, string> = {
  submitted: '待受理',
  accepted: '已受理',
  assigned: '处置中',
  rectified: '已整改',
  closed: '已办结',
  rejected: '不予受理',
  merged: '已合并',
};
