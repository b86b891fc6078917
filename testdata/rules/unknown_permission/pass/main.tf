resource "genesyscloud_auth_role" "wrapup" {
  name        = "Wrap-up writer"
  permissions = ["group_creation"]
  permission_policies {
    domain      = "conversation"
    entity_name = "participant"
    action_set  = ["wrapup"]
  }
  permission_policies {
    domain      = "routing"
    entity_name = "*"
    action_set  = ["view", "edit"]
  }
}

# Products' own domains, which the Platform API never mentions, granted whole by an admin role
# (as org exports write them): no misspelling of an API permission.
resource "genesyscloud_auth_role" "admin" {
  name = "Admin"
  permission_policies {
    domain      = "ui"
    entity_name = "*"
    action_set  = ["*"]
  }
  permission_policies {
    domain      = "cobrowse"
    entity_name = "*"
    action_set  = ["*"]
  }
}

# An agent role as an org export writes it: permissions of the UI that no API operation names
# (going on queue, accepting interactions, reviewing recordings), and an entity the catalog
# spells in lower case.
resource "genesyscloud_auth_role" "agent" {
  name = "Agent"
  permission_policies {
    domain      = "routing"
    entity_name = "agent"
    action_set  = ["onqueue"]
  }
  permission_policies {
    domain      = "conversation"
    entity_name = "call"
    action_set  = ["accept"]
  }
  permission_policies {
    domain      = "recording"
    entity_name = "recording"
    action_set  = ["access", "delete", "download"]
  }
  permission_policies {
    domain      = "voicemail"
    entity_name = "acdVoicemail"
    action_set  = ["view"]
  }
}

# Domains the built-in Master Admin role grants in real org exports, which no API operation
# requires: one edit from `recording` and `wfm`, and not misspellings of them.
resource "genesyscloud_auth_role" "master_admin" {
  name            = "Master Admin"
  default_role_id = "masterAdmin"
  permission_policies {
    domain      = "reporting"
    entity_name = "*"
    action_set  = ["*"]
  }
  permission_policies {
    domain      = "wfp"
    entity_name = "*"
    action_set  = ["*"]
  }
}
