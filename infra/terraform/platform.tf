# k8s/overlays/prod applied by Terraform (kbst/kustomization): the same Kustomize overlay the checks
# validate, with the images CI built. The Secrets are not here: k8s/create-secrets.sh makes them in
# the cluster after this apply (README), so no key or password is ever in the Terraform state.

locals {
  services = ["gateway", "user-service", "post-service", "comment-service"]

  kubeconfig = yamlencode({
    apiVersion = "v1"
    kind       = "Config"
    clusters = [{
      name    = var.cluster_name
      cluster = { server = local.cluster_endpoint, "certificate-authority-data" = local.cluster_ca }
    }]
    users = [{
      name = "terraform"
      user = { token = data.google_client_config.current.access_token }
    }]
    contexts = [{
      name    = var.cluster_name
      context = { cluster = var.cluster_name, user = "terraform" }
    }]
    current-context = var.cluster_name
  })
}

provider "kustomization" {
  kubeconfig_raw = local.kubeconfig
}

data "kustomization_overlay" "prod" {
  resources = ["${path.module}/../../k8s/overlays/prod"]

  # the prod overlay names the release images (k8s/components/images); run this build's instead
  dynamic "images" {
    for_each = toset(local.services)
    content {
      name     = "ghcr.io/conduit-platform/conduit-${images.value}"
      new_name = "${var.image_registry}/conduit-${images.value}"
      new_tag  = var.image_tag
    }
  }
}

# ids_prio: namespaces and CRDs first, then everything namespaced, then webhooks
resource "kustomization_resource" "first" {
  for_each = data.kustomization_overlay.prod.ids_prio[0]

  manifest = data.kustomization_overlay.prod.manifests[each.value]

  depends_on = [google_container_node_pool.platform]
}

# Kafka resources need Strimzi's CRDs, the Ingress needs its controller
resource "kustomization_resource" "platform" {
  for_each = data.kustomization_overlay.prod.ids_prio[1]

  manifest = data.kustomization_overlay.prod.manifests[each.value]

  depends_on = [helm_release.strimzi, helm_release.ingress_nginx, kustomization_resource.first]
}

resource "kustomization_resource" "last" {
  for_each = data.kustomization_overlay.prod.ids_prio[2]

  manifest = data.kustomization_overlay.prod.manifests[each.value]

  depends_on = [kustomization_resource.platform]
}
