package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"chancery/cmd/chancery/policy"
	"chancery/store"
)

func main() {
	attachConsole()
	var dataDir string
	root := &cobra.Command{
		Use:           "chancery",
		Short:         "Chancery, a knowledge base for diplomats",
		Long:          "Chancery keeps notes, contacts, organisations, documents and briefings, and finds them fast.\nWith no command it opens the app's window.",
		Version:       appVersion(),
		SilenceUsage:  true,
		SilenceErrors: true,
		Args:          cobra.NoArgs,
		RunE:          func(cmd *cobra.Command, _ []string) error { return runGUI(cmd.Context(), dataDir) },
	}
	root.PersistentFlags().StringVar(&dataDir, "data", "", "the knowledge base's folder (default: "+defaultDataDir()+"; or $CHANCERY_DATA)")
	root.PersistentFlags().StringVar(&policyFile, "policy", "", "an administrator's policy file, for testing (or $CHANCERY_POLICY; ignored where "+policy.SystemPath()+" exists)")
	root.AddCommand(
		importCmd(&dataDir),
		searchCmd(&dataDir),
		reindexCmd(&dataDir),
		checkCmd(&dataDir),
		demoCmd(&dataDir),
		contactsCmd(&dataDir),
		briefingCmd(&dataDir),
		packCmd(&dataDir),
		incidentCmd(&dataDir),
		benchCmd(),
		auditCmd(&dataDir),
		syncCmd(&dataDir),
		conflictsCmd(&dataDir),
	)
	root.AddCommand(backupCmds(&dataDir)...)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := root.ExecuteContext(ctx)
	stop()
	err = offerRestore(err, dataDir) // a damaged knowledge base: name the latest backup
	if err != nil {
		fmt.Fprintln(os.Stderr, "chancery:", err)
		if errors.Is(err, store.ErrLocked) {
			os.Exit(3)
		}
		os.Exit(1)
	}
}
