resource "genesyscloud_routing_wrapupcode" "resolved" {
  name = "Resolved"
}

# cxlint-ignore: duplicate-wrapup-code-name -- kept while the old name is migrated
resource "genesyscloud_routing_wrapupcode" "resolved_old" {
  name = "resolved"
}

resource "genesyscloud_routing_queue" "support" {
  name         = "Support"
  wrapup_codes = [genesyscloud_routing_wrapupcode.resolved.id, genesyscloud_routing_wrapupcode.resolved_old.id]
}
