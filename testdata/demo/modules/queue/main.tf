variable "name" {
  type = string
}

variable "wrapup_code_ids" {
  type = list(string)
}

variable "acw_prompt" {
  type    = string
  default = "MANDATORY_TIMEOUT"
}

variable "acw_timeout_ms" {
  type = number
}

resource "genesyscloud_routing_queue" "this" {
  name                     = var.name
  acw_wrapup_prompt        = var.acw_prompt
  acw_timeout_ms           = var.acw_timeout_ms
  enable_transcription     = true
  enable_audio_monitoring  = true
  wrapup_codes             = var.wrapup_code_ids
}

output "queue_id" {
  value = genesyscloud_routing_queue.this.id
}
