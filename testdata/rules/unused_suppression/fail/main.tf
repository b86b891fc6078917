resource "genesyscloud_routing_wrapupcode" "resolved" {
  name = "Resolved"
}

# cxlint-ignore: duplicate-wrapup-code-name -- there is no duplicate any more
resource "genesyscloud_routing_wrapupcode" "escalated" {
  name = "Escalated"
}

resource "genesyscloud_routing_queue" "support" {
  name = "Support"
  # cxlint-ignore: unknown-wrap-up-code -- misspelt rule name
  wrapup_codes = [
    genesyscloud_routing_wrapupcode.resolved.id,
    genesyscloud_routing_wrapupcode.escalated.id,
  ]
}
