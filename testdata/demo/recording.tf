resource "genesyscloud_recording_media_retention_policy" "complaints" {
  name        = "Keep escalated support calls"
  order       = 1
  description = "Escalations on the support queue are kept for a year for complaint handling."
  enabled     = true

  media_policies {
    call_policy {
      conditions {
        for_queue_ids   = [genesyscloud_routing_queue.support.id]
        wrapup_code_ids = [genesyscloud_routing_wrapupcode.standard["Escalated"].id]
        directions      = ["INBOUND"]
      }
      actions {
        retain_recording = true
        delete_recording = false
        always_retain    = false
      }
    }
  }
}
