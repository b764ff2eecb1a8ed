project = "docs"

app "site" {
  path = "."

  build {
    use "docker" {
      dockerfile         = "/opt/pilot/static-site.Dockerfile"
      disable_entrypoint = true
      build_args = {
        OUTPUT_DIR = "build"
      }
    }
  }

  deploy {
    use "exec" {
      command = ["pilot-sync", "--provider", "gcp", "--project", "docs-prod-123", "--bucket", "pilot-docs-site", "--image", "{{.Input.DockerImageFull}}"]
    }
  }
}
