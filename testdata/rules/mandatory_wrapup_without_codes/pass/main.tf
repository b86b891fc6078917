resource "genesyscloud_routing_wrapupcode" "resolved" {
  name = "Resolved"
}

resource "genesyscloud_routing_queue" "billing" {
  name              = "Billing"
  acw_wrapup_prompt = "MANDATORY"
  wrapup_codes      = [genesyscloud_routing_wrapupcode.resolved.id]
}

resource "genesyscloud_routing_queue" "optional" {
  name              = "Optional"
  acw_wrapup_prompt = "OPTIONAL"
  wrapup_codes      = []
}

# Unmanaged: the org decides.
resource "genesyscloud_routing_queue" "unmanaged" {
  name              = "Unmanaged"
  acw_wrapup_prompt = "MANDATORY"
}
