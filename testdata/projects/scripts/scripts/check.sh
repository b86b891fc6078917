#!/bin/sh
curl -s -H "Authorization: Bearer $TOKEN" "$BASE/api/v2/routing/wrapupcodes"
curl -s -X POST "$BASE/api/v2/conversations/$CID/wrap-up" -d '{"code": "x"}'
