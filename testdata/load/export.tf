# What genesyscloud_tf_export writes in HCL form: plain blocks, strings, references, lists.
resource "genesyscloud_routing_wrapupcode" "Resolved" {
  name        = "Resolved"
  description = "Customer issue resolved \u2713"
}

resource "genesyscloud_routing_queue" "Support" {
  name                     = "Support"
  acw_wrapup_prompt        = "MANDATORY_TIMEOUT"
  acw_timeout_ms           = 300000
  enable_transcription     = false
  division_id              = data.genesyscloud_auth_division_home.home.id
  wrapup_codes             = [genesyscloud_routing_wrapupcode.Resolved.id, "${genesyscloud_routing_wrapupcode.Escalated.id}", "3f1c2d9e-0000-4000-8000-000000000001"]
  default_script_ids       = { CALL = "5a8c0000-0000-4000-8000-000000000002" }
  members {
    user_id  = genesyscloud_user.agent_1.id
    ring_num = 1
  }
  media_settings_call {
    alerting_timeout_sec      = 8
    service_level_percentage  = 0.8
    service_level_duration_ms = 20000
  }
  depends_on = [genesyscloud_routing_wrapupcode.Resolved]
}

data "genesyscloud_auth_division_home" "home" {}
