resource "genesyscloud_flow" "outbound" {
  filepath = "flow.yaml"
  substitutions = {
    flow_name        = "Renewals"
    wrapup_code_name = "Sale"
  }
}

# One map for every flow in a directory: `division` is meant for the flows that use it.
resource "genesyscloud_flow" "shared" {
  for_each = fileset(path.module, "shared/*.yaml")
  filepath = each.value
  substitutions = {
    division = "Home"
  }
}
