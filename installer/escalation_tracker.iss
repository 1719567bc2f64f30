; Inno Setup 6 script: Escalation Tracker for one Windows user, without administrator
; rights and without any download (at install time or ever after).
;
; Build (see docs/installing.md):
;   python installer\build.py          builds dist\EscalationTracker and writes version.iss
;   ISCC.exe installer\escalation_tracker.iss
; The result is dist\installer\EscalationTracker-<version>-setup.exe.
;
; Silent install, for IT:
;   EscalationTracker-<version>-setup.exe /VERYSILENT /SUPPRESSMSGBOXES /NORESTART
; Silent uninstall (never deletes the data folder):
;   "%LOCALAPPDATA%\Programs\EscalationTracker\unins000.exe" /VERYSILENT /SUPPRESSMSGBOXES /NORESTART
; Add /LOG="%TEMP%\escalation-tracker-setup.log" to either for a log file.

; AppName, AppVersion, AppPublisher and the file names come from pyproject.toml, through
; this file, which installer/build.py writes. Nothing here repeats them.
#include "version.iss"

#ifndef DistDir
  #define DistDir AddBackslash("..\dist") + BundleName
#endif
; Set on ISCC's command line by the Linux tests only: a faster compression for the compile
; checks, and for the install under Wine, which cannot expand {autopf} per user, the
; folder {autopf} stands for in a per-user install (docs/installing.md, section 8).
#ifndef Compression
  #define Compression "lzma2/max"
#endif
#ifndef ProgramsFolder
  #define ProgramsFolder "{autopf}"
#endif

[Setup]
; The AppId identifies the app across versions: never change it.
AppId={{FC3E6A23-0289-44E1-B397-9249131CE37D}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#AppPublisher}
VersionInfoVersion={#AppVersionNumeric}
VersionInfoProductName={#AppName}
VersionInfoCompany={#AppPublisher}
; Per user: no administrator rights and no elevation prompt. {autopf} is then the user's
; own program folder, %LOCALAPPDATA%\Programs. An administrator may instead install for
; every user into Program Files with /ALLUSERS on the command line (see the AppLocker
; notes in docs/installing.md); users are never offered that choice.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=commandline
DefaultDirName={#ProgramsFolder}\{#BundleName}
UsePreviousAppDir=yes
DisableDirPage=auto
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
UsePreviousGroup=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir=..\dist\installer
OutputBaseFilename={#BundleName}-{#AppVersion}-setup
Compression={#Compression}
SolidCompression=yes
WizardStyle=modern
UninstallDisplayName={#AppName}
UninstallDisplayIcon={app}\{#AppExeName}
; Close a running copy (Windows Restart Manager) rather than asking for a restart.
CloseApplications=yes
RestartApplications=no
SetupLogging=yes
#ifdef SignTool
; Code signing: ISCC /Sorgsign="signtool.exe sign ... $f" /DSignTool=orgsign ...
SignTool={#SignTool}
SignedUninstaller=yes
#endif

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; An upgrade replaces the program's own files completely, so no module from an older
; version lingers. Data never lives here (the per-user data folder is elsewhere; a
; portable "data" folder beside the program is not touched).
Type: filesandordirs; Name: "{app}\_internal"

[Files]
; Only the locally built bundle: nothing is downloaded.
Source: "{#DistDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
; The AppUserModelID lets Windows show the reminder's notifications under the app's name
; and icon (the tray process sets the same ID: ui/tray/main.py).
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExeName}"; WorkingDir: "{app}"; Comment: "Track safeguarding escalations and their deadlines"; AppUserModelID: "EscalationTracker.EscalationTracker"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExeName}"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
; Offered at the end of an interactive install only; a silent install starts nothing.
Filename: "{app}\{#AppExeName}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; Deliberately empty: the uninstaller removes the program's files only. The user's
; records are removed only if the user asks, below.

[Code]
function DataFolder(): String;
begin
  { Where the app keeps the encrypted data file, its backups, settings and logs
    (app/paths.py: the per-user data folder). }
  Result := ExpandConstant('{localappdata}\{#DataFolderName}');
end;

procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
var
  Folder: String;
begin
  if CurUninstallStep <> usPostUninstall then
    Exit;
  { The reminder at sign-in, if the user turned it on (app/reminders/autostart.py): it
    would start a program that is no longer there. }
  RegDeleteValue(HKEY_CURRENT_USER, 'Software\Microsoft\Windows\CurrentVersion\Run',
                 'EscalationTracker');
  Folder := DataFolder();
  if not DirExists(Folder) then
    Exit;
  { A silent uninstall (IT, scripts) never deletes anyone's records. }
  if UninstallSilent() then
    Exit;
  { Default button: No. Inno Setup never suppresses a [Code] MsgBox, not even with
    /SUPPRESSMSGBOXES: asked during a silent uninstall it would wait for ever, hence the
    Exit above. }
  if MsgBox('Escalation Tracker has been removed. Your records are still in:' + #13#10 +
            Folder + #13#10#13#10 +
            'Do you also want to DELETE this folder, with your encrypted data file, ' +
            'its backups and settings? This cannot be undone.' + #13#10#13#10 +
            'Choose No to keep your records (recommended).',
            mbConfirmation, MB_YESNO or MB_DEFBUTTON2) = IDYES then
  begin
    if not DelTree(Folder, True, True, True) then
      MsgBox('Some files in ' + Folder + ' could not be deleted. Delete the folder ' +
             'yourself if you no longer need it.', mbError, MB_OK);
  end;
end;
