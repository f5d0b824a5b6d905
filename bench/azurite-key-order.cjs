// For the scores bench only, never the tests: NODE_OPTIONS="--require $PWD/bench/azurite-key-order.cjs" before
// Feedback.Bench, so the Azurite it starts loads this first.
// Azurite 3.37's table store looks an entity up with LokiJS findOne({ RowKey, PartitionKey }); LokiJS uses an index
// for the first property of an implicit $and only, so every insert, upsert, merge and delete scans all rows sharing
// the RowKey (every store-day's counter shard "c.store.0", every store's rollup "day.2026-08-01"). The same lookup
// with PartitionKey first finds the same one entity through the PartitionKey index. Nothing else changes: queries
// still evaluate their filter on every row of the table for every page.
"use strict";
const path = require("path");
const lokiPath = require.resolve("lokijs", { paths: [path.dirname(process.argv[1])] });
const Collection = require(lokiPath).Collection;
const findOne = Collection.prototype.findOne;
Collection.prototype.findOne = function (query) {
  if (query && typeof query === "object" && Object.keys(query).length === 2 && "RowKey" in query && "PartitionKey" in query) {
    query = { PartitionKey: query.PartitionKey, RowKey: query.RowKey };
  }
  return findOne.call(this, query);
};
