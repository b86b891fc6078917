resource "genesyscloud_routing_queue" "billing" {
  name              = "Billing"
  acw_wrapup_prompt = "MANDATORY"
  wrapup_codes      = []
}

# The default prompt is MANDATORY_TIMEOUT.
resource "genesyscloud_routing_queue" "default_prompt" {
  name         = "Default prompt"
  wrapup_codes = []
}
