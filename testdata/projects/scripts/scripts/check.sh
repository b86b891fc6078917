#!/bin/sh
BASE="https://api.mypurecloud.ie"
curl -s -X POST "$BASE/api/v2/conversations/$CID/wrap-up" -d '{"code": "x"}'
curl -s -H "Authorization: Bearer $TOKEN" "$BASE/api/v2/routing/wrapupcodes"
