resource "genesyscloud_flow" "outbound" {
  filepath = "flow.yaml"
  substitutions = {
    flow_name        = "Renewals"
    wrapup_code_name = "Sale"
    old_setting      = "unused"
  }
}

# One map for two flows, neither of which uses `division`.
resource "genesyscloud_flow" "shared" {
  for_each = fileset(path.module, "shared/*.yaml")
  filepath = each.value
  substitutions = {
    division = "Home"
  }
}

# One of them uses it; the other writes `${division}`, which the provider leaves as it is.
resource "genesyscloud_flow" "dollar" {
  for_each = fileset(path.module, "dollar/*.yaml")
  filepath = each.value
  substitutions = {
    division = "Home"
  }
}
