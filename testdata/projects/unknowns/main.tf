# Values cxlint cannot know: no error may be built on them.
variable "queue_id" {}
variable "code_ids" {}
variable "names" {}

resource "genesyscloud_routing_wrapupcode" "dynamic" {
  for_each = toset(var.names)
  name     = each.value
}

resource "genesyscloud_routing_wrapupcode" "resolved" {
  name = "Resolved"
}

resource "genesyscloud_routing_queue" "support" {
  name         = "Support"
  wrapup_codes = var.code_ids
}

resource "genesyscloud_routing_queue" "partly" {
  name         = "Partly known"
  wrapup_codes = concat([genesyscloud_routing_wrapupcode.resolved.id], var.code_ids)
}

resource "genesyscloud_outbound_ruleset" "a" {
  name     = "A"
  queue_id = var.queue_id
  rules {
    conditions {
      type  = "wrapupCondition"
      codes = [genesyscloud_routing_wrapupcode.resolved.id]
    }
  }
}

resource "genesyscloud_outbound_ruleset" "b" {
  name     = "B"
  queue_id = genesyscloud_routing_queue.support.id
  rules {
    conditions {
      type  = "wrapupCondition"
      codes = [for c in genesyscloud_routing_wrapupcode.dynamic : c.id]
    }
  }
}

resource "genesyscloud_recording_media_retention_policy" "p" {
  name = "P"
  media_policies {
    call_policy {
      conditions {
        for_queue_ids   = [genesyscloud_routing_queue.partly.id, var.queue_id]
        wrapup_code_ids = [genesyscloud_routing_wrapupcode.resolved.id, "${var.queue_id}"]
      }
    }
  }
}
