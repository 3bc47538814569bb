// compose-check loads compose files with compose-go, the parser docker compose v2 is built on (schema
// validation, interpolation, merge keys, profiles), and prints the resolved model as YAML. It is how
// compose.yaml was checked on a machine without a container engine (README, "Production: containers"):
//   cd deploy/compose-check && go build . && CURSOR_KEYS=... ./compose-check ../../compose.yaml
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/compose-spec/compose-go/v2/cli"
)

func main() {
	profiles := []string{}
	files := []string{}
	for i := 1; i < len(os.Args); i++ {
		if os.Args[i] == "--profile" && i+1 < len(os.Args) {
			profiles = append(profiles, os.Args[i+1])
			i++
			continue
		}
		files = append(files, os.Args[i])
	}
	options, err := cli.NewProjectOptions(files, cli.WithOsEnv, cli.WithDotEnv, cli.WithProfiles(profiles), cli.WithName("taxii"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	project, err := options.LoadProject(context.Background())
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	out, err := project.MarshalYAML()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Stdout.Write(out)
}
