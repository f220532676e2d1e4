;;; eglot_test.el --- the README's eglot snippet against the real perfectex server  -*- lexical-binding: t; -*-

;; Evaluates the first ```elisp block of editors/README.md as a user's init file would, opens a copy of
;; the truncated corpus document, lets eglot start `perfectex' from the PATH, waits for the
;; unclosed-environment diagnostic in Flymake, applies the quick fix through `eglot-code-actions', saves,
;; and checks that the diagnostic goes away and that the server answers `eglot-shutdown'.

;;; Code:

(require 'cl-lib)

(defconst perfectex-test-timeout 30 "Seconds to wait for each step.")

(defun perfectex-test-fail (format-string &rest args)
  "Report a failure made of FORMAT-STRING and ARGS, with the end of eglot's event log, and exit with 1."
  (message "emacs eglot test: FAILED: %s" (apply #'format format-string args))
  (dolist (buffer (buffer-list))
    (when (string-match-p "EGLOT.*events" (buffer-name buffer))
      (with-current-buffer buffer
        (message "last events in %s:\n%s" (buffer-name)
                 (buffer-substring-no-properties (max (point-min) (- (point-max) 4000)) (point-max))))))
  (kill-emacs 1))

(defun perfectex-test-wait (what predicate)
  "Process events until PREDICATE returns non-nil; fail naming WHAT after the timeout."
  (let ((deadline (+ (float-time) perfectex-test-timeout)))
    (while (not (funcall predicate))
      (when (> (float-time) deadline)
        (perfectex-test-fail "timed out after %d s waiting for %s" perfectex-test-timeout what))
      (accept-process-output nil 0.05)
      (when (bound-and-true-p flymake-mode)
        (flymake-start)))))

(defun perfectex-test-eval-readme-snippet (readme)
  "Evaluate the forms of the first elisp code block in README."
  (with-temp-buffer
    (insert-file-contents readme)
    (goto-char (point-min))
    (unless (re-search-forward "^```elisp\n" nil t)
      (perfectex-test-fail "no ```elisp block in %s" readme))
    (let ((end (save-excursion
                 (or (re-search-forward "^```$" nil t)
                     (perfectex-test-fail "the ```elisp block in %s is not closed" readme)))))
      (while (progn (forward-comment (buffer-size)) (< (point) (match-beginning 0)))
        (eval (read (current-buffer)) t))
      (goto-char end))))

(defun perfectex-test-unclosed ()
  "The Flymake diagnostics of the current buffer that report an unclosed environment."
  (cl-remove-if-not (lambda (diagnostic)
                      (string-match-p "\\[unclosed-environment\\]" (flymake-diagnostic-text diagnostic)))
                    (flymake-diagnostics)))

(defun perfectex-eglot-test (readme)
  "Run the test with the snippet from README."
  (let* ((corpus (or (getenv "PERFECTEX_CORPUS_DIR") (perfectex-test-fail "PERFECTEX_CORPUS_DIR is not set")))
         (project (make-temp-file "perfectex-eglot-" t))
         (copy (expand-file-name "smoke.tex" project)))
    (unless (executable-find "perfectex")
      (perfectex-test-fail "perfectex is not on the PATH"))
    (copy-file (expand-file-name "perf/perf_smoke_big.tex" corpus) copy)
    (set-file-modes copy #o644)
    ;; An interactive Emacs activates the installed packages (eglot on Emacs 28) before the init file.
    (package-activate-all)
    (perfectex-test-eval-readme-snippet readme)
    (find-file copy)
    (unless (derived-mode-p 'latex-mode)
      (perfectex-test-fail "the copy opened in %s, not latex-mode" major-mode))
    ;; eglot-ensure connects after the command that visited the file; end that command as the loop would.
    (run-hooks 'post-command-hook)
    (perfectex-test-wait "eglot to manage the buffer" (lambda () (bound-and-true-p eglot--managed-mode)))
    (let ((server (eglot-current-server)))
      (unless (equal (plist-get (eglot--server-info server) :name) "perfectex")
        (perfectex-test-fail "the server is %S, not perfectex" (eglot--server-info server)))
      (perfectex-test-wait "the unclosed-environment diagnostic" #'perfectex-test-unclosed)
      (let* ((diagnostic (car (perfectex-test-unclosed)))
             (beg (flymake-diagnostic-beg diagnostic)))
        (unless (and (= (line-number-at-pos beg) 26)
                     (= (save-excursion (goto-char beg) (current-column)) 0)
                     (eq (flymake-diagnostic-type diagnostic) 'eglot-error))
          (perfectex-test-fail "unclosed-environment at line %d column %d as %s; expected line 26 column 0 as an error"
                               (line-number-at-pos beg) (save-excursion (goto-char beg) (current-column))
                               (flymake-diagnostic-type diagnostic)))
        (eglot-code-actions beg (flymake-diagnostic-end diagnostic) "quickfix" t))
      (unless (string-match-p "\\\\end{document}\n*\\'" (buffer-string))
        (perfectex-test-fail "the quick fix did not end the buffer with \\end{document}"))
      ;; eglot sends the edit when Emacs goes idle, which batch Emacs never does; saving sends it at once.
      (save-buffer)
      (perfectex-test-wait "unclosed-environment to disappear after the fix"
                           (lambda () (null (perfectex-test-unclosed))))
      ;; eglot-shutdown signals an error unless the server answers `shutdown' in time. Its exit status says
      ;; nothing here: Emacs 28's jsonrpc.el deletes the process right after sending `exit'.
      (let ((process (jsonrpc--process server)))
        (condition-case err
            (eglot-shutdown server)
          (error (perfectex-test-fail "eglot-shutdown failed: %S" err)))
        (perfectex-test-wait "the server to exit" (lambda () (not (process-live-p process))))))
    (delete-directory project t)
    (message "emacs eglot test: passed")
    (kill-emacs 0)))

;;; eglot_test.el ends here
